using DdbCopy.Core.Capacity;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Sinks.DynamoDb;
using DdbCopy.Core.Sources.DynamoDb;
using DdbCopy.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using DdbCopy.Core.Engine;

namespace DdbCopy.Tests.Engine;

/// <summary>The pipeline against in-memory fakes: every item is written once or reported, and the run always ends.</summary>
public sealed class TransferJobTests : IAsyncLifetime
{
    private readonly string _deadLetterPath = Path.Combine(Path.GetTempPath(), $"ddbcopy-test-{Guid.NewGuid():N}.jsonl");
    private DeadLetterFile? _deadLetters;

    public Task InitializeAsync()
    {
        _deadLetters = new DeadLetterFile(_deadLetterPath);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _deadLetters!.DisposeAsync();
        File.Delete(_deadLetterPath);
    }

    private static readonly TableInfo Table = TestTables.Provisioned(100_000, 100_000);

    private static CopyPlan Plan(int segments = 4, int writers = 4) => new(
        1_000_000, "test", 1_000_000, "test", WriteCostModel.PerResource(Table),
        segments, Enumerable.Range(0, segments).ToList(), null, 50, writers);

    private TransferJob Job(IScanPageReader source, IBatchWriteTarget target, CopyPlan? plan = null, int maxRetries = 10,
        IProgressObserver? observer = null)
    {
        plan ??= Plan();
        var options = new TransferOptions { MaxRetries = maxRetries, RetryBaseDelay = TimeSpan.FromMilliseconds(1), RetryMaxDelay = TimeSpan.FromMilliseconds(5) };
        var sink = new DynamoDbSink(target, plan.Write, options, _deadLetters!, TimeProvider.System, NullLogger.Instance);
        return new TransferJob(new SegmentedScanSource(source, plan.Read, options, TimeProvider.System), sink, options, TimeProvider.System,
            NullLogger.Instance, observer);
    }

    private List<string> DeadLetterKeys() => File.Exists(_deadLetterPath)
        ? File.ReadLines(_deadLetterPath).Select(l => DdbCopy.Core.Formats.DynamoDbJson.ParseItemLine(l)["pk"].S).ToList()
        : [];

    [Fact]
    public async Task Run_CopiesEveryItemExactlyOnce()
    {
        var target = new FakeWriteTarget();
        var observer = new RecordingObserver();

        var summary = await Job(new InMemoryScanSource(5_000), target, observer: observer).RunAsync(StopSignals.None);

        Assert.True(summary.Complete);
        Assert.Equal(5_000, summary.Scanned);
        Assert.Equal(5_000, summary.Written);
        Assert.Equal(5_000, target.Written.Count);
        Assert.All(target.Written.Values, count => Assert.Equal(1, count));
        Assert.Equal(summary, observer.Snapshots[^1]);
        Assert.False(File.Exists(_deadLetterPath));
    }

    [Fact]
    public async Task Run_WhenWritesAreThrottledAndPartlyProcessed_RetriesUntilEveryItemIsWritten()
    {
        var target = new FakeWriteTarget { ThrottleEvery = 3, HalfProcessEvery = 2 };

        var summary = await Job(new InMemoryScanSource(3_000), target).RunAsync(StopSignals.None);

        Assert.True(summary.Complete, summary.ToString());
        Assert.Equal(3_000, target.Written.Count);
        Assert.All(target.Written.Values, count => Assert.Equal(1, count));
        Assert.True(summary.Retries > 0);
        Assert.True(summary.ThrottledRequests > 0);
    }

    [Fact]
    public async Task Run_WhenSomeKeysNeverSucceed_EndsInBoundedTimeAndCountsThemFailed()
    {
        var target = new FakeWriteTarget { NeverWrites = key => key.EndsWith('7') };

        var summary = await Job(new InMemoryScanSource(1_000), target, maxRetries: 3).RunAsync(StopSignals.None);

        Assert.False(summary.Complete);
        Assert.Equal(1_000, summary.Scanned);
        Assert.Equal(100, summary.Failed);
        Assert.Equal(900, summary.Written);
        Assert.Equal(900, target.Written.Count);
        Assert.Equal(summary.Scanned, summary.Written + summary.DeadLettered);
        Assert.Null(summary.Error);
        var expected = Enumerable.Range(0, 1_000).Select(i => "k" + i).Where(k => k.EndsWith('7')).Order().ToList();
        Assert.Equal(expected, DeadLetterKeys().Order().ToList());
        Assert.Equal(_deadLetterPath, summary.DeadLetterFile);
    }

    [Fact]
    public async Task Run_WhenTheSourceTableDisappears_StopsWithAClearErrorAndWritesWhatWasRead()
    {
        var source = new InMemoryScanSource(10_000, pageSize: 50) { FailAfter = (10, FakeWriteTarget.Fatal("ResourceNotFoundException")) };
        var target = new FakeWriteTarget();

        var summary = await Job(source, target).RunAsync(StopSignals.None);

        Assert.False(summary.Complete);
        Assert.Contains("Scan of source table 'source'", summary.Error, StringComparison.Ordinal);
        Assert.Contains("ResourceNotFoundException", summary.Error, StringComparison.Ordinal);
        Assert.Equal(summary.Scanned, summary.Written);
        Assert.Equal(summary.Written, target.Written.Count);
    }

    [Fact]
    public async Task Run_WhenTheDestinationRefusesAccess_StopsEverythingAtOnce()
    {
        var target = new FakeWriteTarget { FailAfter = (5, FakeWriteTarget.Fatal("AccessDeniedException")) };

        var summary = await Job(new InMemoryScanSource(100_000), target).RunAsync(StopSignals.None);

        Assert.False(summary.Complete);
        Assert.Contains("Writing to destination table 'destination' failed: AccessDeniedException", summary.Error, StringComparison.Ordinal);
        Assert.True(summary.Scanned < 100_000);
        // Everything taken from the source is either written or in the dead-letter file.
        Assert.Equal(summary.Scanned, summary.Written + summary.DeadLettered);
        Assert.Equal(summary.DeadLettered, DeadLetterKeys().Count);
        Assert.Empty(DeadLetterKeys().Intersect(target.Written.Keys));
        Assert.True(target.Requests < 200, $"{target.Requests} requests after a fatal error");
    }

    [Fact]
    public async Task Run_WhenTheScanKeepsBeingThrottled_GivesUpAfterTheRetriesWithAnError()
    {
        var throttled = new Amazon.DynamoDBv2.Model.ProvisionedThroughputExceededException("slow")
        {
            ErrorCode = "ProvisionedThroughputExceededException",
            StatusCode = System.Net.HttpStatusCode.BadRequest,
        };
        var source = new InMemoryScanSource(1_000) { FailAfter = (0, throttled) };

        var summary = await Job(source, new FakeWriteTarget(), maxRetries: 2).RunAsync(StopSignals.None);

        Assert.False(summary.Complete);
        Assert.Contains("kept failing after every retry", summary.Error, StringComparison.Ordinal);
        Assert.Equal(0, summary.Scanned);
    }

    [Fact]
    public async Task Run_WhenStoppedGracefully_StopsScanningDrainsQueuedWritesAndSaysInterrupted()
    {
        using var graceful = new CancellationTokenSource();
        var source = new InMemoryScanSource(1_000_000, pageSize: 25);
        var target = new GatedWriteTarget(new FakeWriteTarget(), afterRequests: 40, onReached: graceful.Cancel);

        var summary = await Job(source, target, Plan(segments: 2, writers: 2))
            .RunAsync(new StopSignals(graceful.Token, CancellationToken.None));

        Assert.True(summary.Interrupted);
        Assert.False(summary.Complete);
        Assert.True(summary.Scanned < 1_000_000);
        Assert.Equal(summary.Scanned, summary.Written);
        Assert.Equal(0, summary.Unconfirmed);
    }

    [Fact]
    public async Task Run_ReadsNoMorePagesAtOnceThanThePlanAllows_AndEverySegmentToItsEnd()
    {
        var source = new ConcurrencyCountingReader(new InMemoryScanSource(4_000, pageSize: 50));
        var plan = Plan(segments: 16) with { MaxPagesInFlight = 3 };

        var summary = await Job(source, new FakeWriteTarget(), plan).RunAsync(StopSignals.None);

        Assert.True(summary.Complete, summary.ToString());
        Assert.Equal(4_000, summary.Written);
        Assert.InRange(source.MostAtOnce, 1, 3);
    }

    /// <summary>Counts how many pages are being read at once (each read yields a few times, so reads that may overlap do).</summary>
    private sealed class ConcurrencyCountingReader(IScanPageReader inner) : IScanPageReader
    {
        private int _now;
        private int _most;

        public int MostAtOnce => Volatile.Read(ref _most);

        public async Task<ScanPage> ScanAsync(int segment, int totalSegments, Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>? exclusiveStartKey,
            int? limit, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _now);
            int most;
            while (now > (most = Volatile.Read(ref _most)) && Interlocked.CompareExchange(ref _most, now, most) != most)
            {
            }

            try
            {
                for (var i = 0; i < 10; i++)
                {
                    await Task.Yield();
                }

                return await inner.ScanAsync(segment, totalSegments, exclusiveStartKey, limit, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _now);
            }
        }
    }

    /// <summary>Calls back once after N requests, to stop a run at a known point.</summary>
    private sealed class GatedWriteTarget(IBatchWriteTarget inner, int afterRequests, Action onReached) : IBatchWriteTarget
    {
        private int _count;

        public Task<BatchWriteResult> WriteAsync(IReadOnlyList<Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>> items, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _count) == afterRequests)
            {
                onReached();
            }

            return inner.WriteAsync(items, cancellationToken);
        }
    }
}
