using System.Globalization;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Sinks.Changes;
using DdbCopy.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace DdbCopy.Tests.Sinks;

/// <summary>
/// Changes written 25 at a time (puts and deletes in one BatchWriteItem): what comes back unprocessed is written again
/// until every change is applied once; a batch refused as a whole for one bad item is written change by change, so
/// only that one is dead-lettered and the others are applied.
/// </summary>
public sealed class ChangeBatchWriterTests : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-batch-changes-").FullName;
    private readonly DeadLetterFile _deadLetters;
    private readonly FollowCounters _counters = new();

    public ChangeBatchWriterTests() => _deadLetters = new DeadLetterFile(Path.Combine(_folder, "dead.jsonl"));

    [Fact]
    public async Task UnprocessedChanges_AreWrittenAgain_UntilEachIsAppliedOnce()
    {
        var client = Client(new FakeDynamoDbClient { Unprocessed = call => call <= 2 ? 5 : 0 });
        client.Items["changes"].AddRange(Enumerable.Range(20, 5).Select(i => Item(i, 0)));
        List<ChangeRecord> changes = [.. Enumerable.Range(0, 20).Select(i => Put(i, 1)), .. Enumerable.Range(20, 5).Select(Delete)];

        await Writer(client).ApplyAsync(changes, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"{i}"), client.ItemsOf("changes").Select(i => i["pk"].S).Order(StringComparer.Ordinal).OrderBy(int.Parse));
        Assert.Equal((25L, 0L), (_counters.Applied, _counters.DeadLettered));
        Assert.Equal(3, client.BatchWriteCalls);
    }

    [Fact]
    public async Task ABatchRefusedForOneItem_IsWrittenChangeByChange_AndOnlyThatOneIsDeadLettered()
    {
        var client = Client(new FakeDynamoDbClient
        {
            BatchFault = _ => FakeStreams.Error("ValidationException"),
            ItemFault = key => key == "7" ? FakeStreams.Error("ValidationException") : null,
        });

        await Writer(client).ApplyAsync([.. Enumerable.Range(0, 10).Select(i => Put(i, 1))], CancellationToken.None);

        Assert.Equal(9, client.ItemsOf("changes").Count);
        Assert.Equal((9L, 1L), (_counters.Applied, _counters.DeadLettered));
        await _deadLetters.DisposeAsync();
        Assert.Contains("\"7\"", await File.ReadAllTextAsync(_deadLetters.Path), StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _deadLetters.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static FakeDynamoDbClient Client(FakeDynamoDbClient client)
    {
        client.Tables["changes"] = new TableDescription { TableName = "changes", KeySchema = [new KeySchemaElement("pk", Amazon.DynamoDBv2.KeyType.HASH)] };
        client.Items["changes"] = [];
        return client;
    }

    private ChangeBatchWriter Writer(FakeDynamoDbClient client)
    {
        var budget = new CapacityBucket(1_000_000, TimeProvider.System);
        var retry = RetryPipelines.Create(3, TimeProvider.System, baseDelay: TimeSpan.FromMilliseconds(1), maxDelay: TimeSpan.FromMilliseconds(2));
        var cost = WriteCostModel.Total(TestTables.OnDemand());
        var single = new ChangeWriter(new DynamoDbChangeTarget(client, "changes", null), budget, cost, retry, 3, _deadLetters, _counters, NullLogger.Instance);
        return new ChangeBatchWriter(client, "changes", budget, cost, retry, 3, single, _deadLetters, _counters, TimeProvider.System, NullLogger.Instance,
            new AdaptiveRateStub());
    }

    private static Dictionary<string, AttributeValue> Item(int key, int v) =>
        new() { ["pk"] = new() { S = key.ToString(CultureInfo.InvariantCulture) }, ["v"] = new() { N = v.ToString(CultureInfo.InvariantCulture) } };

    private static ChangeRecord Put(int key, int v) => new("", "MODIFY", DateTimeOffset.UnixEpoch, new() { ["pk"] = Item(key, v)["pk"] }, Item(key, v), null, 0);

    private static ChangeRecord Delete(int key) => new("", "REMOVE", DateTimeOffset.UnixEpoch, new() { ["pk"] = Item(key, 0)["pk"] }, null, null, 0);

    /// <summary>Makes the writer re-send unprocessed changes at once (as with an adaptive rate), so no backoff waits on the real clock.</summary>
    private sealed class AdaptiveRateStub : IRateFeedback
    {
        public void Observe(double accepted, double refused)
        {
        }
    }
}
