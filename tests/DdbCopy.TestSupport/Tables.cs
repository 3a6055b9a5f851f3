using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.TestSupport;

/// <summary>Creating, filling and reading tables in tests and the demo.</summary>
public static class Tables
{
    public static async Task CreateAsync(IAmazonDynamoDB client, string name, string hashKey = "pk", string hashType = "S",
        string? rangeKey = null, string rangeType = "S", long? readUnits = 1000, long? writeUnits = 1000,
        IReadOnlyList<GlobalSecondaryIndex>? indexes = null, IReadOnlyList<AttributeDefinition>? extraAttributes = null)
    {
        var key = new List<KeySchemaElement> { new(hashKey, KeyType.HASH) };
        var attributes = new List<AttributeDefinition> { new(hashKey, hashType) };
        if (rangeKey is not null)
        {
            key.Add(new KeySchemaElement(rangeKey, KeyType.RANGE));
            attributes.Add(new AttributeDefinition(rangeKey, rangeType));
        }

        attributes.AddRange(extraAttributes ?? []);
        var request = new CreateTableRequest
        {
            TableName = name,
            KeySchema = key,
            AttributeDefinitions = attributes,
            GlobalSecondaryIndexes = indexes is { Count: > 0 } ? indexes.ToList() : null,
        };
        if (readUnits is null || writeUnits is null)
        {
            request.BillingMode = BillingMode.PAY_PER_REQUEST;
        }
        else
        {
            request.BillingMode = BillingMode.PROVISIONED;
            request.ProvisionedThroughput = new ProvisionedThroughput(readUnits.Value, writeUnits.Value);
        }

        await client.CreateTableAsync(request);
        for (var i = 0; i < 100; i++)
        {
            var status = (await client.DescribeTableAsync(name)).Table.TableStatus;
            if (status == TableStatus.ACTIVE)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Table {name} did not become ACTIVE.");
    }

    /// <summary>Writes items with BatchWriteItem, 25 at a time, several requests at once, retrying anything unprocessed.</summary>
    public static async Task PutAllAsync(IAmazonDynamoDB client, string table, IEnumerable<Dictionary<string, AttributeValue>> items, int parallelism = 8)
    {
        var batches = items.Chunk(25);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (batch, ct) =>
        {
            var pending = batch.Select(i => new WriteRequest(new PutRequest(i))).ToList();
            while (pending.Count > 0)
            {
                var response = await client.BatchWriteItemAsync(new BatchWriteItemRequest
                {
                    RequestItems = new Dictionary<string, List<WriteRequest>> { [table] = pending },
                }, ct);
                pending = response.UnprocessedItems is { } left && left.TryGetValue(table, out var rest) ? rest : [];
            }
        });
    }

    /// <summary>Reads every item of a table (parallel scan), for comparing tables in tests.</summary>
    public static async Task<List<Dictionary<string, AttributeValue>>> ScanAllAsync(IAmazonDynamoDB client, string table, int segments = 4)
    {
        var all = new List<Dictionary<string, AttributeValue>>();
        await Parallel.ForEachAsync(Enumerable.Range(0, segments), async (segment, ct) =>
        {
            Dictionary<string, AttributeValue>? start = null;
            do
            {
                var page = await client.ScanAsync(new ScanRequest
                {
                    TableName = table,
                    Segment = segment,
                    TotalSegments = segments,
                    ExclusiveStartKey = start,
                    ConsistentRead = true,
                }, ct);
                lock (all)
                {
                    all.AddRange(page.Items ?? []);
                }

                start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
            }
            while (start is not null);
        });
        return all;
    }

    public static async Task<int> CountAsync(IAmazonDynamoDB client, string table) => (await ScanAllAsync(client, table)).Count;

    /// <summary>A unique table name per test.</summary>
    /// <summary>Gives <paramref name="table"/> a stream with the view named (NEW_AND_OLD_IMAGES by default).</summary>
    public static Task EnableStreamAsync(IAmazonDynamoDB client, string table, string view = "NEW_AND_OLD_IMAGES") =>
        client.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = table,
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = new StreamViewType(view) },
        });

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 255)];
}
