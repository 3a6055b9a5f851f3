using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Sinks.DynamoDb;

/// <summary>
/// BatchWriteItem of put requests (or, with <c>delete</c>, delete requests of the items' keys) into one table, asking for the capacity consumed per table and index. What the
/// service leaves unprocessed is handed back as the caller's own item objects (matched by key), so the caller keeps
/// what it knows of each (size, origin).
/// </summary>
public sealed class DynamoDbBatchWriteTarget(IAmazonDynamoDB client, string tableName, IReadOnlyList<string> keyNames, bool delete = false) : IBatchWriteTarget
{
    public async Task<BatchWriteResult> WriteAsync(IReadOnlyList<Dictionary<string, AttributeValue>> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var requests = new List<WriteRequest>(items.Count);
        foreach (var item in items)
        {
            requests.Add(delete
                ? new WriteRequest { DeleteRequest = new DeleteRequest { Key = keyNames.Where(item.ContainsKey).ToDictionary(n => n, n => item[n]) } }
                : new WriteRequest { PutRequest = new PutRequest { Item = item } });
        }

        var response = await client.BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new Dictionary<string, List<WriteRequest>> { [tableName] = requests },
            ReturnConsumedCapacity = ReturnConsumedCapacity.INDEXES,
        }, cancellationToken);

        IReadOnlyList<Dictionary<string, AttributeValue>> unprocessed =
            response.UnprocessedItems is { } left && left.TryGetValue(tableName, out var rest) && rest is { Count: > 0 }
                ? Originals(items, rest.Select(r => delete ? r.DeleteRequest.Key : r.PutRequest.Item).ToList())
                : [];
        return new BatchWriteResult(unprocessed, response.ConsumedCapacity ?? []);
    }

    private List<Dictionary<string, AttributeValue>> Originals(IReadOnlyList<Dictionary<string, AttributeValue>> sent,
        List<Dictionary<string, AttributeValue>> returned)
    {
        var byKey = new Dictionary<string, Dictionary<string, AttributeValue>>(sent.Count, StringComparer.Ordinal);
        foreach (var item in sent)
        {
            byKey.TryAdd(KeyOf(item), item);
        }

        return returned.Select(item => byKey.GetValueOrDefault(KeyOf(item), item)).ToList();
    }

    private string KeyOf(Dictionary<string, AttributeValue> item)
    {
        var key = new StringBuilder();
        foreach (var name in keyNames)
        {
            if (item.TryGetValue(name, out var value))
            {
                key.Append(value.S is not null ? "S:" + value.S : value.N is not null ? "N:" + value.N
                    : value.B is not null ? "B:" + Convert.ToBase64String(value.B.ToArray()) : "?");
            }

            key.Append('\u0001');
        }

        return key.ToString();
    }
}
