using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Support;

/// <summary>
/// A seeded writer for follow tests: updates, deletes and new items on a table of <see cref="ItemFactory.Many"/>'s
/// items ("item-0000001" …), from four writers at once.
/// </summary>
public static class SourceChanges
{
    private static Dictionary<string, AttributeValue> Key(string pk) => new() { ["pk"] = new AttributeValue { S = pk } };

    /// <summary>Puts, updates and deletes on the table; returns the keys it deleted (and did not put again).</summary>
    public static async Task<HashSet<string>> WriteAsync(IAmazonDynamoDB client, string table, int seed, int operations, int existing, string tag,
        Action<string> log)
    {
        log($"writer {tag}: seed {seed}, {operations} operations");
        var random = new Random(seed);
        var plan = Enumerable.Range(0, operations).Select(i => (Op: random.Next(3), Key: random.Next(existing), I: i)).ToList();
        var deleted = new HashSet<string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(plan.Chunk(Math.Max(1, operations / 4)), async (part, ct) =>
        {
            foreach (var (op, key, i) in part)
            {
                var pk = op == 2 ? $"new-{tag}-{i}" : "item-" + key.ToString("D7", CultureInfo.InvariantCulture);
                if (op == 0)
                {
                    await client.UpdateItemAsync(new UpdateItemRequest
                    {
                        TableName = table,
                        Key = Key(pk),
                        UpdateExpression = "SET changed = :c",
                        ExpressionAttributeValues = new() { [":c"] = new AttributeValue { S = $"{tag}-{i}" } },
                    }, ct);
                }
                else if (op == 1)
                {
                    await client.DeleteItemAsync(new DeleteItemRequest { TableName = table, Key = Key(pk) }, ct);
                    lock (deleted)
                    {
                        deleted.Add(pk);
                    }
                }
                else
                {
                    await client.PutItemAsync(new PutItemRequest
                    {
                        TableName = table,
                        Item = new() { ["pk"] = new AttributeValue { S = pk }, ["n"] = new AttributeValue { N = i.ToString(CultureInfo.InvariantCulture) } },
                    }, ct);
                }
            }
        });

        // An update after a delete creates the item again (UpdateItem upserts).
        var present = (await Tables.ScanAllAsync(client, table)).Select(i => i["pk"].S).ToHashSet(StringComparer.Ordinal);
        deleted.RemoveWhere(present.Contains);
        return deleted;
    }
}
