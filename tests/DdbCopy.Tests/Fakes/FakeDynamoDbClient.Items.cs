using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Tests.Fakes;

/// <summary>
/// The fake's items: a table given items in <see cref="Items"/> answers Scan (by segment, in pages) and BatchWriteItem
/// (puts and deletes by the table's key), so a whole job can run against the fake in a unit test.
/// </summary>
internal sealed partial class FakeDynamoDbClient
{
    private readonly Lock _itemsGate = new();
    private int _batchCalls;

    /// <summary>The items of each table, in the order they were put.</summary>
    public Dictionary<string, List<Dictionary<string, AttributeValue>>> Items { get; } = new(StringComparer.Ordinal);

    /// <summary>Items per Scan page.</summary>
    public int ScanPageSize { get; init; } = 100;

    /// <summary>For the n-th BatchWriteItem call (1-based): how many of its last requests are left unprocessed (none by default).</summary>
    public Func<int, int>? Unprocessed { get; init; }

    /// <summary>For the n-th BatchWriteItem call (1-based): an error to answer with instead (none by default).</summary>
    public Func<int, Exception?>? BatchFault { get; init; }

    /// <summary>BatchWriteItem calls made, and the requests they carried (processed or not).</summary>
    public int BatchWriteCalls => Volatile.Read(ref _batchCalls);

    public List<Dictionary<string, AttributeValue>> ItemsOf(string table)
    {
        lock (_itemsGate)
        {
            return [.. Items[table]];
        }
    }

    public override Task<BatchWriteItemResponse> BatchWriteItemAsync(BatchWriteItemRequest request, CancellationToken cancellationToken = default)
    {
        var call = Interlocked.Increment(ref _batchCalls);
        if (BatchFault?.Invoke(call) is { } fault)
        {
            throw fault;
        }

        var unprocessed = new Dictionary<string, List<WriteRequest>>(StringComparer.Ordinal);
        lock (_itemsGate)
        {
            Calls.Add("BatchWriteItem");
            foreach (var (table, writes) in request.RequestItems)
            {
                var left = Math.Min(Unprocessed?.Invoke(call) ?? 0, writes.Count);
                foreach (var write in writes.Take(writes.Count - left))
                {
                    var items = Items[table];
                    var key = KeyOf(table, write.PutRequest?.Item ?? write.DeleteRequest.Key);
                    items.RemoveAll(i => KeyOf(table, i) == key);
                    if (write.PutRequest is { } put)
                    {
                        items.Add(put.Item);
                    }
                }

                if (left > 0)
                {
                    unprocessed[table] = writes.Skip(writes.Count - left).ToList();
                }
            }
        }

        return Task.FromResult(new BatchWriteItemResponse { UnprocessedItems = unprocessed });
    }

    /// <summary>Called before each PutItem or DeleteItem with its key (pk): an exception to throw, or null.</summary>
    public Func<string, Exception?>? ItemFault { get; init; }

    public override Task<PutItemResponse> PutItemAsync(PutItemRequest request, CancellationToken cancellationToken = default)
    {
        lock (_itemsGate)
        {
            Calls.Add("PutItem");
            if (ItemFault?.Invoke(KeyOf(request.TableName, request.Item)) is { } fault)
            {
                throw fault;
            }

            var key = KeyOf(request.TableName, request.Item);
            Items[request.TableName].RemoveAll(i => KeyOf(request.TableName, i) == key);
            Items[request.TableName].Add(request.Item);
        }

        return Task.FromResult(new PutItemResponse { ConsumedCapacity = new ConsumedCapacity { TableName = request.TableName, CapacityUnits = 1 } });
    }

    public override Task<DeleteItemResponse> DeleteItemAsync(DeleteItemRequest request, CancellationToken cancellationToken = default)
    {
        lock (_itemsGate)
        {
            Calls.Add("DeleteItem");
            if (ItemFault?.Invoke(KeyOf(request.TableName, request.Key)) is { } fault)
            {
                throw fault;
            }

            var key = KeyOf(request.TableName, request.Key);
            Items[request.TableName].RemoveAll(i => KeyOf(request.TableName, i) == key);
        }

        return Task.FromResult(new DeleteItemResponse { ConsumedCapacity = new ConsumedCapacity { TableName = request.TableName, CapacityUnits = 1 } });
    }

    private ScanResponse ScanItems(ScanRequest request)
    {
        lock (_itemsGate)
        {
            var table = request.TableName;
            var mine = Items[table].Where((_, i) => request.TotalSegments is not > 1 || i % request.TotalSegments == request.Segment).ToList();
            var start = request.ExclusiveStartKey is { Count: > 0 } after ? mine.FindIndex(i => KeyOf(table, i) == KeyOf(table, after)) + 1 : 0;
            var page = mine.Skip(start).Take(request.Limit is > 0 ? Math.Min(request.Limit.Value, ScanPageSize) : ScanPageSize).ToList();
            var more = start + page.Count < mine.Count;
            return new ScanResponse
            {
                Items = page,
                Count = page.Count,
                ScannedCount = page.Count,
                LastEvaluatedKey = more ? Tables[table].KeySchema.ToDictionary(k => k.AttributeName, k => page[^1][k.AttributeName]) : [],
            };
        }
    }

    private string KeyOf(string table, Dictionary<string, AttributeValue> item) =>
        string.Join("|", Tables[table].KeySchema.Select(k => item[k.AttributeName] is var v ? v.S ?? v.N ?? Convert.ToBase64String(v.B.ToArray()) : ""));
}
