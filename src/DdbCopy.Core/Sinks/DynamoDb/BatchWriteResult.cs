using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Sinks.DynamoDb;

/// <summary>What a batch write left undone, and the capacity it consumed (table and indexes).</summary>
public sealed record BatchWriteResult(
    IReadOnlyList<Dictionary<string, AttributeValue>> Unprocessed,
    IReadOnlyList<ConsumedCapacity> Consumed);
