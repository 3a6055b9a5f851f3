using System.Globalization;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Sinks.Changes;
using DdbCopy.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace DdbCopy.Tests.Conformance;

/// <summary>
/// What every change sink must do (one put or delete at a time, as a stream follow and MySQL deletes write): each
/// change applied once, a key's changes in order so its last one wins; a passing fault (a throttle) retried and the
/// change applied once; a refused change in the dead-letter file and counted, the others applied; a hard stop ends at
/// once with nothing applied twice.
/// </summary>
public abstract class ChangeSinkConformance : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-conformance-").FullName;
    private readonly DeadLetterFile _deadLetters;
    private readonly FollowCounters _counters = new();

    protected ChangeSinkConformance() => _deadLetters = new DeadLetterFile(Path.Combine(_folder, "dead.jsonl"));

    /// <summary>A target that fails each change with what <paramref name="fault"/> gives for its key (null: no fault).</summary>
    protected abstract IChangeTarget CreateTarget(Func<string, int, Exception?> fault);

    /// <summary>What the target holds now: key (pk) to the value of <c>v</c>.</summary>
    protected abstract IReadOnlyDictionary<string, int> State();

    public async ValueTask DisposeAsync()
    {
        await _deadLetters.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected static ChangeRecord Change(int n, string key, bool remove = false) => new(
        n.ToString("D8", CultureInfo.InvariantCulture), remove ? "REMOVE" : "MODIFY", DateTimeOffset.UnixEpoch.AddSeconds(n),
        new Dictionary<string, AttributeValue> { ["pk"] = new() { S = key } },
        remove ? null : new Dictionary<string, AttributeValue> { ["pk"] = new() { S = key }, ["v"] = new() { N = n.ToString(CultureInfo.InvariantCulture) } },
        null, 40);

    private ChangeWriter Writer(IChangeTarget target) => new(target, new CapacityBucket(1_000_000, TimeProvider.System), WriteCostModel.Total(TestTables.OnDemand()),
        RetryPipelines.Create(3, TimeProvider.System, baseDelay: TimeSpan.FromMilliseconds(1), maxDelay: TimeSpan.FromMilliseconds(2)), 3, _deadLetters, _counters,
        NullLogger.Instance);

    private static List<ChangeRecord> Changes() =>
        Enumerable.Range(1, 600).Select(n => Change(n, "k" + (n * 7 % 40), remove: n % 11 == 0)).ToList();

    private static Dictionary<string, int> Expected(IEnumerable<ChangeRecord> changes) =>
        changes.GroupBy(c => c.Keys["pk"].S).Select(g => g.Last()).Where(c => !c.IsRemove)
            .ToDictionary(c => c.Keys["pk"].S, c => int.Parse(c.NewImage!["v"].N, CultureInfo.InvariantCulture));

    private static string? RecordedKey(string line)
    {
        using var json = System.Text.Json.JsonDocument.Parse(line);
        var root = json.RootElement;
        var item = root.TryGetProperty("Item", out var put) ? put : root.GetProperty("Delete");
        return item.GetProperty("pk").GetProperty("S").GetString();
    }

    [Fact]
    public async Task EveryChange_IsAppliedOnce_AndEachKeysLastChangeWins()
    {
        var changes = Changes();
        var writer = Writer(CreateTarget((_, _) => null));

        foreach (var change in changes)
        {
            await writer.ApplyAsync(change, CancellationToken.None);
        }

        Assert.Equal(changes.Count, _counters.Applied);
        Assert.Equal(Expected(changes).OrderBy(p => p.Key), State().OrderBy(p => p.Key));
    }

    [Fact]
    public async Task AThrottledChange_IsRetried_AndAppliedOnce()
    {
        var changes = Changes();
        var writer = Writer(CreateTarget((_, attempt) => attempt == 1 ? FakeStreams.Error("ProvisionedThroughputExceededException") : null));

        foreach (var change in changes)
        {
            await writer.ApplyAsync(change, CancellationToken.None);
        }

        Assert.Equal(changes.Count, _counters.Applied);
        Assert.Equal(changes.Count, _counters.ThrottledRequests);
        Assert.Equal(0, _counters.DeadLettered);
        Assert.Equal(Expected(changes).OrderBy(p => p.Key), State().OrderBy(p => p.Key));
    }

    [Fact]
    public async Task ARefusedChange_IsDeadLettered_AndCounted_TheOthersApplied()
    {
        var changes = Changes();
        var writer = Writer(CreateTarget((key, _) => key == "k3" ? FakeStreams.Error("ValidationException") : null));

        foreach (var change in changes)
        {
            await writer.ApplyAsync(change, CancellationToken.None);
        }

        var refused = changes.Count(c => c.Keys["pk"].S == "k3");
        Assert.Equal(refused, _counters.DeadLettered);
        Assert.Equal(changes.Count - refused, _counters.Applied);
        await _deadLetters.DisposeAsync();
        Assert.Equal(refused, File.ReadAllLines(_deadLetters.Path).Count(l => RecordedKey(l) == "k3")); // puts as {"Item":...}, deletes as {"Delete":...}
        Assert.Equal(Expected(changes.Where(c => c.Keys["pk"].S != "k3")).OrderBy(p => p.Key), State().OrderBy(p => p.Key));
    }

    [Fact]
    public async Task AHardStop_EndsAtOnce_WithNothingAppliedOrRecorded()
    {
        using var hard = new CancellationTokenSource();
        var writer = Writer(CreateTarget((_, _) => null));
        await hard.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.ApplyAsync(Change(1, "k1"), hard.Token));

        Assert.Equal((0, 0), (_counters.Applied, _counters.DeadLettered));
        Assert.Empty(State());
    }
}

/// <summary>The change writer over an in-memory target.</summary>
public sealed class MemoryChangeSinkConformance : ChangeSinkConformance
{
    private readonly Dictionary<string, int> _state = new(StringComparer.Ordinal);

    protected override IChangeTarget CreateTarget(Func<string, int, Exception?> fault) => new Target(_state, fault);

    protected override IReadOnlyDictionary<string, int> State() => _state;

    private sealed class Target(Dictionary<string, int> state, Func<string, int, Exception?> fault) : IChangeTarget
    {
        private readonly Dictionary<string, int> _attempts = new(StringComparer.Ordinal);

        public Task<ChangeWriteResult> ApplyAsync(ChangeRecord change, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = change.Keys["pk"].S;
            var attempt = _attempts[change.SequenceNumber] = _attempts.GetValueOrDefault(change.SequenceNumber) + 1;
            if (fault(key, attempt) is { } error)
            {
                throw error;
            }

            if (change.IsRemove)
            {
                state.Remove(key);
            }
            else
            {
                state[key] = int.Parse(change.NewImage!["v"].N, CultureInfo.InvariantCulture);
            }

            return Task.FromResult(new ChangeWriteResult(true, []));
        }
    }
}

/// <summary>The change writer over the DynamoDB target (PutItem, DeleteItem) of a fake client.</summary>
public sealed class DynamoDbChangeSinkConformance : ChangeSinkConformance
{
    private FakeDynamoDbClient? _client;

    protected override IChangeTarget CreateTarget(Func<string, int, Exception?> fault)
    {
        var attempts = new Dictionary<string, int>(StringComparer.Ordinal);
        _client = new FakeDynamoDbClient
        {
            ItemFault = key =>
            {
                var error = fault(key, attempts[key] = attempts.GetValueOrDefault(key) + 1);
                if (error is null)
                {
                    attempts[key] = 0; // the key's next change starts at its first attempt
                }

                return error;
            },
        };
        _client.Tables["changes"] = new TableDescription { TableName = "changes", KeySchema = [new KeySchemaElement("pk", Amazon.DynamoDBv2.KeyType.HASH)] };
        _client.Items["changes"] = [];
        return new DynamoDbChangeTarget(_client, "changes", conflictAttribute: null);
    }

    protected override IReadOnlyDictionary<string, int> State() =>
        _client?.ItemsOf("changes").ToDictionary(i => i["pk"].S, i => int.Parse(i["v"].N, CultureInfo.InvariantCulture)) ?? [];
}
