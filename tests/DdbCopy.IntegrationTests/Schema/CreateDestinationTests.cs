using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Schema;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace DdbCopy.IntegrationTests.Schema;

/// <summary>--createDestination and `ddbcopy schema` against DynamoDB Local (which has no tags and no PITR).</summary>
[Collection(DynamoDbCollection.Name)]
public sealed class CreateDestinationTests(DynamoDbFixture db) : IAsyncLifetime
{
    private readonly List<string> _created = [];
    private readonly string _schemaFile = Path.Combine(Path.GetTempPath(), $"ddbcopy-schema-{Guid.NewGuid():N}.json");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var table in _created)
        {
            try
            {
                await db.Client.DeleteTableAsync(table);
            }
            catch (ResourceNotFoundException)
            {
            }
        }

        File.Delete(_schemaFile);
    }

    [Fact]
    public async Task Copy_WithCreateDestination_CreatesTheSameDefinitionAndCopiesTheData()
    {
        var source = await CreateRichSourceAsync();
        var destination = Name("created-dst");

        var result = await DdbCopyCli.RunAsync("--sourceEndpoint", db.Endpoint, "--sourceTable", source,
            "--destinationEndpoint", db.Endpoint, "--destinationTable", destination, "--createDestination", "--output", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Creating {destination}", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("ListTagsOfResource is not supported by this server", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"{destination}: TTL on expires set after creation", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"{destination}: stream (NEW_AND_OLD_IMAGES) set after creation", result.StandardError, StringComparison.Ordinal);
        var expected = await TableDefinitionReader.ReadAsync(db.Client, source, NullLogger.Instance, default);
        var actual = await TableDefinitionReader.ReadAsync(db.Client, destination, NullLogger.Instance, default);
        Assert.Empty(SchemaDiff.Compare(expected, actual));
        Assert.Equal("NEW_AND_OLD_IMAGES", actual.StreamViewType);
        Assert.Equal("expires", actual.TimeToLiveAttribute);
        Assert.Equal(["a", "b"], actual.GlobalSecondaryIndexes.Single().Projection.NonKeyAttributes);
        Assert.Equal(new Throughput(50, 60), actual.GlobalSecondaryIndexes.Single().ProvisionedThroughput);
        Assert.Single(actual.LocalSecondaryIndexes);

        var sourceItems = (await Tables.ScanAllAsync(db.Client, source)).Select(ItemFactory.Canonical).Order();
        var copied = (await Tables.ScanAllAsync(db.Client, destination)).Select(ItemFactory.Canonical).Order();
        Assert.Equal(sourceItems, copied);
    }

    [Fact]
    public async Task SchemaExport_ThenCreateFromTheFileWithOverrides_GivesThatDefinition()
    {
        var source = await CreateRichSourceAsync();
        var destination = Name("from-file-dst");

        var export = await DdbCopyCli.RunAsync("schema", "export", "--endpoint", db.Endpoint, "--table", source);
        Assert.True(export.ExitCode == 0, export.ToString());
        await File.WriteAllTextAsync(_schemaFile, export.StandardOutput);
        Assert.Contains("\"streamViewType\": \"NEW_AND_OLD_IMAGES\"", export.StandardOutput, StringComparison.Ordinal);

        var copy = await DdbCopyCli.RunAsync("--sourceEndpoint", db.Endpoint, "--sourceTable", source,
            "--destinationEndpoint", db.Endpoint, "--destinationTable", destination, "--createDestination", "--schemaFile", _schemaFile,
            "--destinationBillingMode", "PAY_PER_REQUEST");

        Assert.True(copy.ExitCode == 0, copy.ToString());
        var created = await TableDefinitionReader.ReadAsync(db.Client, destination, NullLogger.Instance, default);
        Assert.Equal("PAY_PER_REQUEST", created.BillingMode);
        Assert.Null(created.GlobalSecondaryIndexes.Single().ProvisionedThroughput);
        Assert.Equal("expires", created.TimeToLiveAttribute);

        var diff = await DdbCopyCli.RunAsync("schema", "diff", "--sourceEndpoint", db.Endpoint, "--sourceTable", source,
            "--destinationEndpoint", db.Endpoint, "--destinationTable", destination);
        Assert.True(diff.ExitCode == 5, diff.ToString());
        Assert.Contains("~ billing mode: PROVISIONED -> PAY_PER_REQUEST", diff.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("~ capacity: 100 RCU, 200 WCU -> on demand", diff.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SchemaDiff_ShowsEachKindOfDifferenceAndNothingForEqualTables()
    {
        var source = await CreateRichSourceAsync();
        var plain = Name("plain");
        _created.Add(plain);
        await db.Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = plain,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
            AttributeDefinitions = [new AttributeDefinition("pk", "S"), new AttributeDefinition("sk", "S")],
            ProvisionedThroughput = new ProvisionedThroughput(5, 5),
        });

        var diff = await DdbCopyCli.RunAsync("schema", "diff", "--sourceEndpoint", db.Endpoint, "--sourceTable", source,
            "--destinationEndpoint", db.Endpoint, "--destinationTable", plain);
        var same = await DdbCopyCli.RunAsync("schema", "diff", "--sourceEndpoint", db.Endpoint, "--sourceTable", source,
            "--destinationEndpoint", db.Endpoint, "--destinationTable", source);

        Assert.True(diff.ExitCode == 5, diff.ToString());
        var lines = diff.StandardOutput;
        Assert.Contains("~ key: pk HASH S, sk RANGE N -> pk HASH S, sk RANGE S", lines, StringComparison.Ordinal);
        Assert.Contains("~ capacity: 100 RCU, 200 WCU -> 5 RCU, 5 WCU", lines, StringComparison.Ordinal);
        Assert.Contains("- global index by-g: g HASH S; INCLUDE [a, b]; 50 RCU, 60 WCU (missing in the destination)", lines, StringComparison.Ordinal);
        Assert.Contains("- local index by-l: pk HASH S, l RANGE S; KEYS_ONLY (missing in the destination)", lines, StringComparison.Ordinal);
        Assert.Contains("~ stream: NEW_AND_OLD_IMAGES -> off", lines, StringComparison.Ordinal);
        Assert.Contains("~ ttl: expires -> off", lines, StringComparison.Ordinal);
        Assert.True(same.ExitCode == 0, same.ToString());
        Assert.Contains("The definitions match.", same.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_WithCreateDestinationFromAMissingSource_SaysSoAndCreatesNothing()
    {
        var destination = Name("never-created");
        var result = await DdbCopyCli.RunAsync("--sourceEndpoint", db.Endpoint, "--sourceTable", "no-such-source",
            "--destinationEndpoint", db.Endpoint, "--destinationTable", destination, "--createDestination");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("The source table 'no-such-source' does not exist", result.StandardError, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => db.Client.DescribeTableAsync(destination));
    }

    private string Name(string prefix)
    {
        var name = Tables.UniqueName(prefix);
        _created.Add(name);
        return name;
    }

    /// <summary>A composite key, a GSI with an INCLUDE projection and its own throughput, an LSI, a stream and TTL.</summary>
    private async Task<string> CreateRichSourceAsync()
    {
        var name = Name("rich-src");
        await db.Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
            AttributeDefinitions = [new("pk", "S"), new("sk", "N"), new("g", "S"), new("l", "S")],
            BillingMode = BillingMode.PROVISIONED,
            ProvisionedThroughput = new ProvisionedThroughput(100, 200),
            GlobalSecondaryIndexes =
            [
                new GlobalSecondaryIndex
                {
                    IndexName = "by-g",
                    KeySchema = [new KeySchemaElement("g", KeyType.HASH)],
                    Projection = new Amazon.DynamoDBv2.Model.Projection { ProjectionType = ProjectionType.INCLUDE, NonKeyAttributes = ["b", "a"] },
                    ProvisionedThroughput = new ProvisionedThroughput(50, 60),
                },
            ],
            LocalSecondaryIndexes =
            [
                new LocalSecondaryIndex
                {
                    IndexName = "by-l",
                    KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("l", KeyType.RANGE)],
                    Projection = new Amazon.DynamoDBv2.Model.Projection { ProjectionType = ProjectionType.KEYS_ONLY },
                },
            ],
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_AND_OLD_IMAGES },
        });
        await db.Client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = name,
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = "expires", Enabled = true },
        });
        var items = Enumerable.Range(0, 300).Select(i => new Dictionary<string, AttributeValue>
        {
            ["pk"] = new() { S = "p" + (i % 30).ToString(CultureInfo.InvariantCulture) },
            ["sk"] = new() { N = i.ToString(CultureInfo.InvariantCulture) },
            ["g"] = new() { S = "g" + (i % 7).ToString(CultureInfo.InvariantCulture) },
            ["l"] = new() { S = "l" + i.ToString(CultureInfo.InvariantCulture) },
            ["a"] = new() { S = "alpha" },
            ["expires"] = new() { N = "4102444800" },
        });
        await Tables.PutAllAsync(db.Client, name, items);
        return name;
    }
}
