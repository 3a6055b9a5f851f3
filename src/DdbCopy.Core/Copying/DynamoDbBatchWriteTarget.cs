using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Copying;

/// <summary>BatchWriteItem of put requests into one table, asking for the capacity consumed per table and index.</summary>
public sealed class DynamoDbBatchWriteTarget(IAmazonDynamoDB client, string tableName) : IBatchWriteTarget
{
    public async Task<BatchWriteResult> WriteAsync(IReadOnlyList<Dictionary<string, AttributeValue>> items, CancellationToken cancellationToken)
    {
        var requests = new List<WriteRequest>(items.Count);
        foreach (var item in items)
        {
            requests.Add(new WriteRequest { PutRequest = new PutRequest { Item = item } });
        }

        var response = await client.BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new Dictionary<string, List<WriteRequest>> { [tableName] = requests },
            ReturnConsumedCapacity = ReturnConsumedCapacity.INDEXES,
        }, cancellationToken);

        IReadOnlyList<Dictionary<string, AttributeValue>> unprocessed =
            response.UnprocessedItems is { } left && left.TryGetValue(tableName, out var rest) && rest is { Count: > 0 }
                ? rest.Select(r => r.PutRequest.Item).ToList()
                : [];
        return new BatchWriteResult(unprocessed, response.ConsumedCapacity ?? []);
    }
}
