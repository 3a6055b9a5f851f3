using DdbCopy.Core.Schema;
using DdbCopy.Tests.Fakes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DdbCopy.Tests.Schema;

public sealed class TableCreatorTests
{
    internal static TableDefinition Full(string name = "orders") => new()
    {
        TableName = name,
        KeySchema = [new KeyElement("pk", "HASH"), new KeyElement("sk", "RANGE")],
        AttributeDefinitions = [new AttributeType("g", "S"), new AttributeType("pk", "S"), new AttributeType("sk", "N")],
        BillingMode = "PROVISIONED",
        ProvisionedThroughput = new Throughput(100, 200),
        GlobalSecondaryIndexes = [new GlobalIndex("by-g", [new KeyElement("g", "HASH")], new Projection("INCLUDE", ["a"]), new Throughput(10, 20), null)],
        StreamViewType = "NEW_IMAGE",
        TableClass = "STANDARD_INFREQUENT_ACCESS",
        SseDescription = new Encryption("KMS", "arn:aws:kms:us-east-1:123456789012:key/source-key"),
        TimeToLiveAttribute = "expires",
        Tags = new Dictionary<string, string> { ["team"] = "payments", ["env"] = "prod" },
        PointInTimeRecovery = true,
        DeletionProtection = true,
    };

    [Fact]
    public async Task Create_LeavesTheStreamTtlAndBackupsForAfterTheCopy()
    {
        var client = new FakeDynamoDbClient();

        await new TableCreator(client, TimeProvider.System, NullLogger.Instance).CreateAsync(Full(), default);

        Assert.Null(client.LastCreate!.StreamSpecification);
        var read = await TableDefinitionReader.ReadAsync(client, "orders", NullLogger.Instance, default);
        Assert.Equal(
            ["~ point-in-time recovery: on -> off", "~ stream: NEW_IMAGE -> off", "~ ttl: expires -> off"],
            SchemaDiff.Compare(Full(), read));
        Assert.Equal(["env", "team"], read.Tags!.Keys.Order());
    }

    [Fact]
    public async Task CreateThenFinish_SetsEverythingAndReadsBackTheSameDefinition()
    {
        var client = new FakeDynamoDbClient();
        var creator = new TableCreator(client, TimeProvider.System, NullLogger.Instance);

        await creator.CreateAsync(Full(), default);
        await creator.FinishAsync(Full(), default);

        var read = await TableDefinitionReader.ReadAsync(client, "orders", NullLogger.Instance, default);
        Assert.Empty(SchemaDiff.Compare(Full(), read));
        Assert.Equal(["env", "team"], read.Tags!.Keys.Order());
        Assert.True(read.PointInTimeRecovery);
        Assert.True(read.DeletionProtection);
        Assert.Equal("arn:aws:kms:us-east-1:123456789012:key/source-key", client.LastCreate!.SSESpecification.KMSMasterKeyId);
    }

    [Fact]
    public async Task Create_WhenTagsAndBackupsAreUnsupported_WarnsAndGoesOn()
    {
        var client = new FakeDynamoDbClient { SupportsTags = false, SupportsBackups = false };
        var logger = new RecordingLogger();

        var creator = new TableCreator(client, TimeProvider.System, logger);
        await creator.CreateAsync(Full(), default);
        await creator.FinishAsync(Full(), default);

        Assert.Contains("UpdateTimeToLive", client.Calls);
        Assert.Contains(logger.Warnings, w => w.StartsWith("TagResource is not supported", StringComparison.Ordinal));
        Assert.Contains(logger.Warnings, w => w.StartsWith("UpdateContinuousBackups is not supported", StringComparison.Ordinal));
        var read = await TableDefinitionReader.ReadAsync(client, "orders", logger, default);
        Assert.Null(read.Tags);
        Assert.Null(read.PointInTimeRecovery);
    }

    [Fact]
    public async Task Create_WaitsUntilTheTableAndItsIndexesAreActive()
    {
        var time = new FakeTimeProvider();
        var client = new FakeDynamoDbClient { CreatingPolls = 3 };
        var creating = new TableCreator(client, time, NullLogger.Instance) { PollInterval = TimeSpan.FromSeconds(1) }.CreateAsync(Full(), default);

        for (var i = 0; i < 3; i++)
        {
            await WaitForAsync(() => client.Calls.Count(c => c == "DescribeTable") == i + 1);
            Assert.DoesNotContain("TagResource", client.Calls);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        await creating.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(4, client.Calls.Count(c => c == "DescribeTable"));
        Assert.Contains("TagResource", client.Calls);
    }

    [Fact]
    public void Overrides_ChangeBillingCapacityAndKeyButKeepTheRest()
    {
        var onDemand = new CreateOverrides(BillingMode: "PAY_PER_REQUEST", KmsKeyId: "alias/destination").Apply(Full(), "copy");

        Assert.Equal("copy", onDemand.TableName);
        Assert.Equal("PAY_PER_REQUEST", onDemand.BillingMode);
        Assert.Null(onDemand.ProvisionedThroughput);
        Assert.Null(onDemand.GlobalSecondaryIndexes[0].ProvisionedThroughput);
        Assert.Equal(new Encryption("KMS", "alias/destination"), onDemand.SseDescription);
        Assert.Equal("expires", onDemand.TimeToLiveAttribute);

        var bigger = new CreateOverrides(WriteCapacity: 5000).Apply(Full(), "copy");
        Assert.Equal(new Throughput(100, 5000), bigger.ProvisionedThroughput);
        Assert.Equal(new Throughput(10, 5000), bigger.GlobalSecondaryIndexes[0].ProvisionedThroughput);
    }

    [Fact]
    public void Json_RoundTripsADefinition()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, TableDefinitionJson.Serialize(Full()));
            Assert.Empty(SchemaDiff.Compare(Full(), TableDefinitionJson.Load(path)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Json_AHandWrittenDefinitionMayLeaveOutEmptyLists()
    {
        var definition = TableDefinitionJson.Parse("""
            {"tableName":"t","keySchema":[{"attributeName":"pk","keyType":"HASH"}],"attributeDefinitions":[{"attributeName":"pk","type":"S"}],
             "billingMode":"PAY_PER_REQUEST","globalSecondaryIndexes":[{"indexName":"g","keySchema":[{"attributeName":"pk","keyType":"HASH"}],"projection":{"projectionType":"KEYS_ONLY"}}]}
            """);

        Assert.Empty(definition.LocalSecondaryIndexes);
        Assert.Empty(definition.GlobalSecondaryIndexes[0].Projection.NonKeyAttributes);
        Assert.Equal("PAY_PER_REQUEST", CreateTableRequestFactory.Build(new CreateOverrides().Apply(definition, "copy")).BillingMode.Value);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(2);
        }

        Assert.True(condition());
    }

    internal sealed class RecordingLogger : ILogger
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                lock (Warnings)
                {
                    Warnings.Add(formatter(state, exception));
                }
            }
        }
    }
}
