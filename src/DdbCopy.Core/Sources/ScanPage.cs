using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Sources;

/// <summary>One page of a scan: its items, where to continue (null when the segment is done) and its read cost.</summary>
public sealed record ScanPage(
    IReadOnlyList<Dictionary<string, AttributeValue>> Items,
    Dictionary<string, AttributeValue>? LastEvaluatedKey,
    double ConsumedUnits);
