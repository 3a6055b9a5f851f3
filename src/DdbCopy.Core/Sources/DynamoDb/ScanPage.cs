using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Sources.DynamoDb;

/// <summary>
/// One page of a scan: its items, where to continue (null when the segment is done), its read cost, and how many
/// items the scan read but its filter left out.
/// </summary>
public sealed record ScanPage(
    IReadOnlyList<Dictionary<string, AttributeValue>> Items,
    Dictionary<string, AttributeValue>? LastEvaluatedKey,
    double ConsumedUnits,
    int Filtered = 0);
