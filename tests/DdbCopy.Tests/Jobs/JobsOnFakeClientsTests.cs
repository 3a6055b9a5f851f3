using System.IO.Compression;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Jobs;
using DdbCopy.Core.Jobs.Copying;
using DdbCopy.Core.Jobs.Exporting;
using DdbCopy.Core.Sources.Streams;
using DdbCopy.Core.Storage;
using DdbCopy.Tests.Fakes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DdbCopy.Tests.Jobs;

/// <summary>
/// Whole jobs run on fake clients (the harness is given them through <see cref="IJobClients"/>): no DynamoDB, no
/// network, the runners' own composition under test.
/// </summary>
public sealed class JobsOnFakeClientsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-jobs-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task ACopy_OnFakeClients_WritesEveryItemOnce_ThroughUnprocessedItems()
    {
        var source = Fake("src", Items(300));
        var destination = new FakeDynamoDbClient { Unprocessed = call => call <= 4 ? 7 : 0 }; // the first 4 calls leave 7 items each
        AddTable(destination, "dst", []);
        var clients = new FakeJobClients(new() { ["source"] = source, ["destination"] = destination });

        var summary = await new CopyRunner(NullLoggerFactory.Instance, TimeProvider.System, clients).RunAsync(new CopySettings
        {
            Source = At("http://localhost:8000"),
            SourceTable = "src",
            Destination = At("http://localhost:8001"),
            DestinationTable = "dst",
            CheckpointFile = Path.Combine(_folder, "copy.checkpoint.json"),
            Write = new() { DeadLetterFile = Path.Combine(_folder, "dead.jsonl") },
        }, null, StopSignals.None);

        Assert.True(summary.Complete, summary.Error);
        Assert.Equal(300, summary.Written);
        Assert.Equal(Keys(source.ItemsOf("src")), Keys(destination.ItemsOf("dst")));
        Assert.True(destination.BatchWriteCalls >= 12 + 4, $"{destination.BatchWriteCalls} BatchWriteItem calls"); // 12 batches and the left-overs
        Assert.Equal(["source", "destination"], clients.Opened);
    }

    [Fact]
    public async Task AnExport_OnFakeClients_WritesEveryItemOnce_AndTheManifestCountsThem()
    {
        var source = Fake("src", Items(250));
        var clients = new FakeJobClients(new() { ["source"] = source });
        var to = Path.Combine(_folder, "export");

        var summary = await new ExportRunner(NullLoggerFactory.Instance, TimeProvider.System, clients).RunAsync(new ExportSettings
        {
            Source = At("http://localhost:8000"),
            SourceTable = "src",
            To = new LocalLocation(to),
            S3 = At("http://localhost:9000"),
            Segments = 3,
            CheckpointFile = Path.Combine(_folder, "export.checkpoint.json"),
        }, null, StopSignals.None);

        Assert.True(summary.Complete, summary.Error);
        var lines = Directory.GetFiles(Path.Combine(to, "data"), "*.json.gz").SelectMany(ReadGzipLines).ToList();
        Assert.Equal(250, lines.Count);
        Assert.Equal(Keys(source.ItemsOf("src")), lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement
            .GetProperty("Item").GetProperty("pk").GetProperty("S").GetString()!).Order(StringComparer.Ordinal).ToList());
        Assert.Contains("\"itemCount\":250", File.ReadAllText(Path.Combine(to, "manifest-summary.json")).Replace(" ", "", StringComparison.Ordinal),
            StringComparison.Ordinal);
        Assert.Equal(["source"], clients.Opened);
    }

    private static List<string> Keys(IEnumerable<Dictionary<string, AttributeValue>> items) =>
        items.Select(i => i["pk"].S).Order(StringComparer.Ordinal).ToList();

    private static IEnumerable<string> ReadGzipLines(string path)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    private static List<Dictionary<string, AttributeValue>> Items(int count) =>
        Enumerable.Range(0, count).Select(i => new Dictionary<string, AttributeValue>
        {
            ["pk"] = new() { S = $"item-{i:D4}" },
            ["n"] = new() { N = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["text"] = new() { S = new string('x', i % 50) },
        }).ToList();

    private static FakeDynamoDbClient Fake(string table, List<Dictionary<string, AttributeValue>> items)
    {
        var client = new FakeDynamoDbClient();
        AddTable(client, table, items);
        return client;
    }

    private static void AddTable(FakeDynamoDbClient client, string table, List<Dictionary<string, AttributeValue>> items)
    {
        client.Tables[table] = new TableDescription
        {
            TableName = table,
            TableArn = $"arn:aws:dynamodb:us-east-1:123456789012:table/{table}",
            TableStatus = TableStatus.ACTIVE,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            ProvisionedThroughput = new ProvisionedThroughputDescription { ReadCapacityUnits = 10_000, WriteCapacityUnits = 10_000 },
            ItemCount = items.Count,
            TableSizeBytes = items.Count * 40,
        };
        client.Items[table] = items;
    }

    private static SideSpec At(string endpoint) => new(EndpointSpec.TryParse(endpoint, null, out _)!, null);

    /// <summary>Hands out one fake per side, and notes which sides a job opened.</summary>
    private sealed class FakeJobClients(Dictionary<string, FakeDynamoDbClient> sides) : IJobClients
    {
        public List<string> Opened { get; } = [];

        public (IAmazonDynamoDB Client, SideSpec Side) OpenDynamoDb(SideSpec side, string sideName, TimeSpan requestTimeout, ILogger logger)
        {
            Opened.Add(sideName);
            return (sides[sideName], side);
        }

        public IStreamsClient OpenStreams(SideSpec side, string sideName, EndpointWatch watch) => throw new NotSupportedException("no stream here");

        public IFileStore OpenFiles(StorageLocation location, SideSpec s3, long partSizeBytes) => FileStores.Open(location, s3, partSizeBytes);
    }
}
