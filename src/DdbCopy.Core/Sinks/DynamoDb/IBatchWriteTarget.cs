using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Sinks.DynamoDb;

/// <summary>Writes up to 25 items in one request. The real one calls BatchWriteItem; tests use fakes.</summary>
public interface IBatchWriteTarget
{
    Task<BatchWriteResult> WriteAsync(IReadOnlyList<Dictionary<string, AttributeValue>> items, CancellationToken cancellationToken);
}
