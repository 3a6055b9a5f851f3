using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Jobs.Verifying;
using DdbCopy.Core.Sinks.DynamoDb;
using DdbCopy.Core.Sinks.Files;
using DdbCopy.Core.Sources.DynamoDb;
using DdbCopy.Core.Storage;
using DdbCopy.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace DdbCopy.Tests.Conformance;

/// <summary>
/// What every sink must do: every item read is in the output once; an empty input ends complete with nothing; a
/// graceful stop ends interrupted with everything read in the output, once; a hard stop ends at once with nothing in
/// the output twice and every item it counts as written in the output. Sinks that can refuse an item add
/// <see cref="RefusingSinkConformance"/>.
/// </summary>
public abstract class SinkConformance : IDisposable
{
    protected string Folder { get; } = Directory.CreateTempSubdirectory("ddbcopy-conformance-").FullName;

    protected abstract IBatchSink Create();

    /// <summary>The keys the sink's output holds (with repeats, if any).</summary>
    protected abstract IReadOnlyList<string> Output();

    /// <summary>Called after each batch the sink writes (to stop a run at a known point).</summary>
    protected Action? AfterBatch { get; set; }

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected static IItemSource Source(int count, int pageSize = 100) =>
        new SegmentedScanSource(new InMemoryScanSource(count, pageSize), new ReadPlan(1_000_000, "test", 2, [0, 1], null, 50), ConformanceHarness.Options,
            TimeProvider.System);

    [Fact]
    public async Task EveryItemRead_IsInTheOutputOnce()
    {
        await using var sink = Create();

        var summary = await ConformanceHarness.RunAsync(Source(3_000), sink, StopSignals.None);

        Assert.True(summary.Complete, summary.Error);
        Assert.Equal((3_000, 3_000), (summary.Scanned, summary.Written));
        Assert.Equal(3_000, Output().Count);
        Assert.Equal(3_000, Output().Distinct().Count());
    }

    [Fact]
    public async Task AnEmptyInput_EndsComplete_WithNothingInTheOutput()
    {
        await using var sink = Create();

        var summary = await ConformanceHarness.RunAsync(Source(0), sink, StopSignals.None);

        Assert.True(summary.Complete, summary.Error);
        Assert.Equal(0, summary.Written);
        Assert.Empty(Output());
    }

    [Fact]
    public async Task AGracefulStop_EndsInterrupted_WithEverythingReadInTheOutputOnce()
    {
        using var graceful = new CancellationTokenSource();
        var batches = 0;
        AfterBatch = () =>
        {
            if (Interlocked.Increment(ref batches) == 20)
            {
                graceful.Cancel();
            }
        };
        await using var sink = Create();

        var summary = await ConformanceHarness.RunAsync(Source(200_000, pageSize: 50), sink, new StopSignals(graceful.Token, CancellationToken.None));

        Assert.True(summary.Interrupted);
        Assert.InRange(summary.Scanned, 500, 199_999);
        Assert.Equal(summary.Scanned, summary.Written);
        Assert.Equal(summary.Written, Output().Count);
        Assert.Equal(Output().Count, Output().Distinct().Count());
    }

    [Fact]
    public async Task AHardStop_EndsInterrupted_WithNothingTwice_AndEveryItemCountedWrittenInTheOutput()
    {
        using var hard = new CancellationTokenSource();
        var batches = 0;
        AfterBatch = () =>
        {
            if (Interlocked.Increment(ref batches) == 20)
            {
                hard.Cancel();
            }
        };
        await using var sink = Create();

        var summary = await ConformanceHarness.RunAsync(Source(200_000, pageSize: 50), sink, new StopSignals(CancellationToken.None, hard.Token));

        Assert.True(summary.Interrupted);
        Assert.InRange(summary.Scanned, 1, 199_999);
        Assert.InRange(Output().Count, summary.Written, summary.Scanned); // a sink may count an item written only once it is safe (a committed file)
        Assert.Equal(Output().Count, Output().Distinct().Count());
    }
}

/// <summary>A sink that can refuse an item (the table refuses it for good): it is dead-lettered and counted, the rest written, the run not complete.</summary>
public abstract class RefusingSinkConformance : SinkConformance
{
    /// <summary>A sink that refuses the items whose key (pk) is in <paramref name="refused"/>, and where they went.</summary>
    protected abstract (IBatchSink Sink, Func<IReadOnlyList<string>> Refused) CreateRefusing(IReadOnlySet<string> refused);

    [Fact]
    public async Task ARefusedItem_IsRecorded_AndCounted_AndTheRestWritten()
    {
        var refused = new HashSet<string>(StringComparer.Ordinal) { "k0", "k17", "k999", "k1500" };
        var (sink, recorded) = CreateRefusing(refused);
        await using var owner = sink;

        var summary = await ConformanceHarness.RunAsync(Source(2_000), sink, StopSignals.None);

        Assert.False(summary.Complete);
        Assert.Equal(refused.Count, summary.DeadLettered);
        Assert.Equal(2_000 - refused.Count, summary.Written);
        Assert.Equal(refused.Order(StringComparer.Ordinal), recorded().Order(StringComparer.Ordinal));
        Assert.Equal(2_000 - refused.Count, Output().Count);
        Assert.Empty(Output().Intersect(refused));
    }
}

/// <summary>BatchWriteItem into a table (a write target in memory).</summary>
public sealed class DynamoDbSinkConformance : RefusingSinkConformance, IAsyncDisposable
{
    private FakeWriteTarget _target = new();
    private readonly DeadLetterFile _deadLetters;

    public DynamoDbSinkConformance() => _deadLetters = new DeadLetterFile(Path.Combine(Folder, "dead.jsonl"));

    protected override IBatchSink Create()
    {
        var table = TestTables.Provisioned(100_000, 100_000);
        return new DynamoDbSink(new CountingTarget(_target, () => AfterBatch?.Invoke()), new WritePlan(1_000_000, WriteCostModel.PerResource(table), 4),
            ConformanceHarness.Options with { MaxRetries = 3 }, _deadLetters, TimeProvider.System, NullLogger.Instance);
    }

    /// <summary>Keys the table never takes (UnprocessedItems every time): out of retries, they go to the dead-letter file.</summary>
    protected override (IBatchSink Sink, Func<IReadOnlyList<string>> Refused) CreateRefusing(IReadOnlySet<string> refused)
    {
        _target = new FakeWriteTarget { NeverWrites = refused.Contains };
        return (Create(), () =>
        {
            _deadLetters.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return File.ReadAllLines(_deadLetters.Path).Select(l => DynamoDbJson.ParseItemLine(l)["pk"].S).ToList();
        });
    }

    protected override IReadOnlyList<string> Output() => _target.Written.SelectMany(kv => Enumerable.Repeat(kv.Key, kv.Value)).ToList();

    public ValueTask DisposeAsync() => _deadLetters.DisposeAsync();

    private sealed class CountingTarget(IBatchWriteTarget inner, Action after) : IBatchWriteTarget
    {
        public async Task<BatchWriteResult> WriteAsync(IReadOnlyList<Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>> items,
            CancellationToken cancellationToken)
        {
            var result = await inner.WriteAsync(items, cancellationToken);
            after();
            return result;
        }
    }
}

/// <summary>The data files of an export (a folder).</summary>
public sealed class ExportFileSinkConformance : SinkConformance
{
    private DirectoryStore? _store;

    protected override IBatchSink Create()
    {
        _store = new DirectoryStore(Folder);
        return new AfterBatchSink(new ExportFileSink(_store, new ExportFileOptions { MaxFileBytes = 50_000, WriterCount = 2 }, NullLogger.Instance),
            () => AfterBatch?.Invoke());
    }

    protected override IReadOnlyList<string> Output() =>
        Directory.EnumerateFiles(Folder, "*.json*", SearchOption.AllDirectories)
            .SelectMany(f => new StreamReader(new System.IO.Compression.GZipStream(File.OpenRead(f), System.IO.Compression.CompressionMode.Decompress))
                .ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Select(l => DynamoDbJson.ParseItemLine(l)["pk"].S)
            .ToList();
}

/// <summary>One side of a verify: every item read becomes a fingerprint in the side's spill.</summary>
public sealed class FingerprintSinkConformance : SinkConformance
{
    private FingerprintSpill? _spill;

    protected override IBatchSink Create()
    {
        _spill = new FingerprintSpill(Folder, "source");
        return new AfterBatchSink(new FingerprintSink(_spill, ["pk"]), () => AfterBatch?.Invoke());
    }

    protected override IReadOnlyList<string> Output()
    {
        _spill!.Dispose();
        return Enumerable.Range(0, FingerprintSpill.Buckets)
            .SelectMany(b => FingerprintSpill.Read(FingerprintSpill.PathOf(Folder, "source", b)))
            .Select(r => DynamoDbJson.ParseItemLine("{\"Item\":" + System.Text.Encoding.UTF8.GetString(r.KeyJson) + "}")["pk"].S)
            .ToList();
    }
}

/// <summary>Passes everything to a sink, and calls back after each batch.</summary>
internal sealed class AfterBatchSink(IBatchSink inner, Action after) : IBatchSink
{
    public int Workers => inner.Workers;

    public int QueueCapacity => inner.QueueCapacity;

    public int BatchItems => inner.BatchItems;

    public bool KeepsLaneOrder => inner.KeepsLaneOrder;

    public string? RecordedPath => inner.RecordedPath;

    public void Start(SinkContext context) => inner.Start(context);

    public IBatchSinkWorker CreateWorker(int index) => new Worker(inner.CreateWorker(index), after);

    public Task SettleQueuedAsync(System.Threading.Channels.ChannelReader<WriteBatch> queued) => inner.SettleQueuedAsync(queued);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private sealed class Worker(IBatchSinkWorker inner, Action after) : IBatchSinkWorker
    {
        public async Task WriteAsync(WriteBatch batch, CancellationToken abort)
        {
            await inner.WriteAsync(batch, abort);
            after();
        }

        public Task FinishAsync(CancellationToken abort) => inner.FinishAsync(abort);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
