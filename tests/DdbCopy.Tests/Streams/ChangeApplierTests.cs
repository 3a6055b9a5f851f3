using System.Collections.Concurrent;
using System.Globalization;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Jobs.Copying;
using DdbCopy.Core.Sinks.Changes;
using DdbCopy.Core.Sources.Streams;
using DdbCopy.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace DdbCopy.Tests.Streams;

/// <summary>Applying spooled changes: order per key over many lanes, the applied position, dead letters, skipped conflicts.</summary>
public sealed class ChangeApplierTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-apply-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ChangeRecord Change(int n, string key, bool remove = false) => new(
        n.ToString(CultureInfo.InvariantCulture), remove ? "REMOVE" : "MODIFY", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + n),
        new Dictionary<string, AttributeValue> { ["pk"] = new() { S = key } },
        remove ? null : new Dictionary<string, AttributeValue> { ["pk"] = new() { S = key }, ["v"] = new() { N = n.ToString(CultureInfo.InvariantCulture) } },
        null, 0);

    /// <summary>Records each applied change per key; a change may fail or be skipped as the test says.</summary>
    private sealed class RecordingTarget(Func<ChangeRecord, Exception?>? fault = null, Func<ChangeRecord, bool>? skip = null) : IChangeTarget
    {
        public ConcurrentDictionary<string, List<int>> PerKey { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, int?> State { get; } = new(StringComparer.Ordinal);

        public async Task<ChangeWriteResult> ApplyAsync(ChangeRecord change, CancellationToken cancellationToken)
        {
            await Task.Yield();
            if (fault?.Invoke(change) is { } error)
            {
                throw error;
            }

            if (skip?.Invoke(change) == true)
            {
                return ChangeWriteResult.Skipped;
            }

            var key = change.Keys["pk"].S;
            var list = PerKey.GetOrAdd(key, _ => []);
            lock (list)
            {
                list.Add(int.Parse(change.SequenceNumber, CultureInfo.InvariantCulture));
            }

            State[key] = change.IsRemove ? null : int.Parse(change.NewImage!["v"].N, CultureInfo.InvariantCulture);
            return new ChangeWriteResult(true, [new ConsumedCapacity { CapacityUnits = 1 }]);
        }
    }

    private async Task<(ChangeApplier Applier, FollowCounters Counters, DeadLetterFile DeadLetters, ChangeSpool Spool)> StartAsync(IChangeTarget target,
        IEnumerable<ChangeRecord> changes, int maxRetries = 2, DateTimeOffset? skipBefore = null)
    {
        var spool = ChangeSpool.Open(Path.Combine(_folder, "spool"), default, [], 0);
        foreach (var page in changes.Chunk(7))
        {
            await spool.AppendAsync(new ShardPosition("A", null, page[^1].SequenceNumber, false, DateTimeOffset.UnixEpoch), page, false, CancellationToken.None);
        }

        var counters = new FollowCounters();
        var deadLetters = new DeadLetterFile(Path.Combine(_folder, "dl.jsonl"));
        var applier = new ChangeApplier(spool, target, new ApplyOptions(8, maxRetries, skipBefore), new CapacityBucket(1_000_000, TimeProvider.System),
            WriteCostModel.Total(TestTables.OnDemand()),
            RetryPipelines.Create(maxRetries, TimeProvider.System, baseDelay: TimeSpan.FromMilliseconds(1), maxDelay: TimeSpan.FromMilliseconds(2)),
            deadLetters, counters, TimeProvider.System, NullLogger.Instance);
        return (applier, counters, deadLetters, spool);
    }

    [Fact]
    public async Task ManyKeysOverEightLanes_EachKeysChangesLandInStreamOrder_AndTheLastOneWins()
    {
        var random = new Random(7);
        var changes = Enumerable.Range(1, 2_000).Select(n => Change(n, "k" + random.Next(30), remove: random.Next(10) == 0)).ToList();
        var target = new RecordingTarget();
        var (applier, counters, deadLetters, spool) = await StartAsync(target, changes);
        await using var _ = spool;
        await using var __ = deadLetters;

        await applier.RunAsync(default, _ => true, CancellationToken.None, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2_000, counters.Applied);
        Assert.Equal(spool.Written, applier.Applied);
        foreach (var (key, applied) in target.PerKey)
        {
            var expected = changes.Where(c => c.Keys["pk"].S == key).Select(c => int.Parse(c.SequenceNumber, CultureInfo.InvariantCulture));
            Assert.Equal(expected, applied);
            var last = changes.Last(c => c.Keys["pk"].S == key);
            Assert.Equal(last.IsRemove ? null : int.Parse(last.NewImage!["v"].N, CultureInfo.InvariantCulture), target.State[key]);
        }

        Assert.Equal(changes.Max(c => c.Created), counters.LastApplied);
    }

    [Fact]
    public async Task ChangesOlderThanEverySectionsScan_ArePassedOverAsSkipped_TheRestAppliedInOrder_AndTheAppliedPositionReachesTheEnd()
    {
        // A sectioned copy's follower: what was made before the earliest section began is older than what the scans read.
        var changes = Enumerable.Range(1, 40).Select(n => Change(n, "k" + (n % 5), remove: n % 9 == 0)).ToList();
        var target = new RecordingTarget();
        var (applier, counters, deadLetters, spool) = await StartAsync(target, changes, skipBefore: changes[24].Created);
        await using var _ = spool;
        await using var __ = deadLetters;

        await applier.RunAsync(default, _ => true, CancellationToken.None, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(24, counters.Skipped);
        Assert.Equal(16, counters.Applied);
        Assert.Equal(spool.Written, applier.Applied);
        Assert.Equal(Enumerable.Range(25, 16), target.PerKey.Values.SelectMany(v => v).Order());
        foreach (var (key, applied) in target.PerKey)
        {
            Assert.Equal(changes.Skip(24).Where(c => c.Keys["pk"].S == key).Select(c => int.Parse(c.SequenceNumber, CultureInfo.InvariantCulture)), applied);
        }
    }

    [Fact]
    public async Task AChangeThrottledOnEveryTry_IsDeadLetteredWithItsKey_TheOthersApplied_AndTheRunGoesOn()
    {
        var changes = new[] { Change(1, "a"), Change(2, "stuck"), Change(3, "b"), Change(4, "stuck", remove: true) };
        var target = new RecordingTarget(fault: c => c.Keys["pk"].S == "stuck" ? FakeStreams.Error("ProvisionedThroughputExceededException") : null);
        var (applier, counters, deadLetters, spool) = await StartAsync(target, changes);
        await using var _ = spool;

        await applier.RunAsync(default, _ => true, CancellationToken.None, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        await deadLetters.DisposeAsync();

        Assert.Equal((2L, 2L), (counters.Applied, counters.DeadLettered));
        Assert.Equal(spool.Written, applier.Applied);
        var lines = File.ReadAllLines(Path.Combine(_folder, "dl.jsonl"));
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("{\"Item\":{\"pk\":{\"S\":\"stuck\"}", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("{\"Delete\":{\"pk\":{\"S\":\"stuck\"}}", lines[1], StringComparison.Ordinal);
        Assert.Contains("ProvisionedThroughputExceededException", lines[1], StringComparison.Ordinal);
        Assert.True(counters.ThrottledRequests >= 4);
    }

    [Fact]
    public async Task SkippedChanges_AreCountedApartFromApplied()
    {
        var changes = Enumerable.Range(1, 10).Select(n => Change(n, "k" + n)).ToList();
        var target = new RecordingTarget(skip: c => int.Parse(c.SequenceNumber, CultureInfo.InvariantCulture) % 2 == 0);
        var (applier, counters, deadLetters, spool) = await StartAsync(target, changes);
        await using var _ = spool;
        await using var __ = deadLetters;

        await applier.RunAsync(default, _ => true, CancellationToken.None, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((5L, 5L, 0L), (counters.Applied, counters.Skipped, counters.DeadLettered));
    }

    [Fact]
    public async Task AFatalError_StopsTheRun_AndTheAppliedPositionStaysBeforeTheChangeThatFailed()
    {
        var changes = Enumerable.Range(1, 50).Select(n => Change(n, "k" + (n % 5))).ToList();
        var target = new RecordingTarget(fault: c => c.SequenceNumber == "30" ? FakeStreams.Error("AccessDeniedException") : null);
        var (applier, counters, deadLetters, spool) = await StartAsync(target, changes);
        await using var _ = spool;
        await using var __ = deadLetters;

        var error = await Record.ExceptionAsync(() => applier.RunAsync(default, _ => true, CancellationToken.None, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains("AccessDeniedException", Assert.IsType<DdbCopyException>(error).Message, StringComparison.Ordinal);
        Assert.True(counters.Applied < 50);
        // A resumed run starts at or before the change that failed: read back from there, its first change for key k0 is at most 30.
        using var cursor = new SpoolCursor(spool, applier.Applied);
        Assert.True(cursor.TryRead(out var line));
        Assert.True(int.Parse(ChangeSpool.ReadLine(line.Span).Record.SequenceNumber, CultureInfo.InvariantCulture) <= 30);
    }

    [Fact]
    public async Task Stopped_WhileFollowing_EndsWithoutFinishingAndKeepsTheAppliedPosition()
    {
        var target = new RecordingTarget();
        var (applier, counters, deadLetters, spool) = await StartAsync(target, [Change(1, "a")]);
        await using var _ = spool;
        await using var __ = deadLetters;
        using var stop = new CancellationTokenSource();

        var running = applier.RunAsync(default, _ => false, stop.Token, CancellationToken.None);
        await spool.AppendAsync(new ShardPosition("A", null, "2", false, DateTimeOffset.UnixEpoch), [Change(2, "b")], false, CancellationToken.None);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (counters.Applied < 2 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Yield();
        }

        Assert.False(running.IsCompleted); // following: never finished on its own
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(spool.Written, applier.Applied);
    }
}
