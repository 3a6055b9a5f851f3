using System.IO.Compression;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine.Checkpoints;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Sinks.DynamoDb;
using DdbCopy.Core.Sinks.Files;
using DdbCopy.Core.Sources.DynamoDb;
using DdbCopy.Core.Storage;
using DdbCopy.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace DdbCopy.Tests.Checkpoints;

/// <summary>
/// The engine with a checkpoint against in-memory fakes: a run stopped or failed part-way, resumed from the checkpoint
/// file, ends with every item written and totals that cover the whole job.
/// </summary>
public sealed class ResumeTests : IAsyncLifetime
{
    private const int Items = 5_000;
    private const int PageSize = 100;
    private const int Segments = 4;
    private static readonly TableInfo Table = TestTables.Provisioned(100_000, 100_000);
    private static readonly JobIdentity Identity = new("copy", "source", "destination", Segments);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-resume-").FullName;
    private DeadLetterFile? _deadLetters;

    private string CheckpointPath => Path.Combine(_folder, "job.checkpoint.json");

    public Task InitializeAsync()
    {
        _deadLetters = new DeadLetterFile(Path.Combine(_folder, "dl.jsonl"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _deadLetters!.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static CopyPlan Plan() => new(
        1_000_000, "test", 1_000_000, "test", WriteCostModel.PerResource(Table),
        Segments, Enumerable.Range(0, Segments).ToList(), null, 50, 4);

    private static TransferOptions Options => new() { MaxRetries = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(1), RetryMaxDelay = TimeSpan.FromMilliseconds(2) };

    /// <summary>A checkpoint for a new job, or the one in the file continued.</summary>
    private JobCheckpoint Checkpoint(bool resume) => resume
        ? JobCheckpoint.Continue(CheckpointPath, CheckpointFile.Load(CheckpointPath)!, TimeProvider.System, NullLogger.Instance)
        : JobCheckpoint.New(CheckpointPath, Identity, Enumerable.Range(0, Segments), null, null, TimeProvider.System, NullLogger.Instance);

    private Task<TransferSummary> CopyAsync(IBatchWriteTarget target, JobCheckpoint checkpoint, StopSignals stop, IScanPageReader? source = null)
    {
        var plan = Plan();
        var sink = new DynamoDbSink(target, plan.Write, Options, _deadLetters!, TimeProvider.System, NullLogger.Instance);
        var job = new TransferJob(new SegmentedScanSource(source ?? new InMemoryScanSource(Items, PageSize), plan.Read, Options, TimeProvider.System), sink,
            Options, TimeProvider.System, NullLogger.Instance, checkpoint: checkpoint);
        return job.RunAsync(stop);
    }

    [Fact]
    public async Task Resume_AfterAFatalWriteError_WritesTheRestAndTheTotalsCoverTheWholeJob()
    {
        var failing = new FakeWriteTarget { FailAfter = (60, FakeWriteTarget.Fatal("ResourceNotFoundException")) };
        var first = await CopyAsync(failing, Checkpoint(resume: false), StopSignals.None);
        var saved = CheckpointFile.Load(CheckpointPath)!;

        var healthy = new FakeWriteTarget();
        var second = await CopyAsync(healthy, Checkpoint(resume: true), StopSignals.None);

        Assert.NotNull(first.Error);
        Assert.Equal(CheckpointState.Failed, saved.State);
        Assert.InRange(saved.Totals.Scanned, 1, Items - 1);
        Assert.Equal(saved.Totals.Scanned, saved.Totals.Written); // settled = written, nothing else
        Assert.True(second.Complete, second.ToString());
        Assert.Equal(saved.Totals.Scanned, second.Resumed);
        var everyKey = failing.Written.Keys.Concat(healthy.Written.Keys).ToHashSet();
        Assert.Equal(Items, everyKey.Count);
        Assert.Equal(Items, second.Written - (second.Scanned - Items)); // whole job: every item, plus what was read twice
        var readAgain = second.Scanned - Items;
        Assert.InRange(readAgain, 0, 2 * Segments * PageSize); // at most the pages in flight: two per segment
        Assert.Equal(CheckpointState.Finished, CheckpointFile.Load(CheckpointPath)!.State);
        Assert.Equal(2, CheckpointFile.Load(CheckpointPath)!.Runs);
    }

    [Fact]
    public async Task AFailedRun_SavesPositionsWithinAPage_SoTheResumedRunReadsLessThanAPagePerSegmentAgain()
    {
        // Pages of 100 items are written in batches of 25; the 11th write fails for good while 10 batches are settled.
        var failing = new FakeWriteTarget { FailAfter = (10, FakeWriteTarget.Fatal("ResourceNotFoundException")) };
        await CopyAsync(failing, Checkpoint(resume: false), StopSignals.None);
        var saved = CheckpointFile.Load(CheckpointPath)!;

        var healthy = new FakeWriteTarget();
        var second = await CopyAsync(healthy, Checkpoint(resume: true), StopSignals.None);

        // Some lane stands after a batch that does not end its page: the key of the batch's last item.
        Assert.Contains(saved.Lanes.Select(CheckpointFile.ToPosition), p => p.LastKey is { } key && (int.Parse(key["pk"].S.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) / Segments + 1) % PageSize != 0);
        Assert.Equal(saved.Totals.Scanned, saved.Totals.Written);
        Assert.InRange(saved.Totals.Written, 25, 10 * 25);
        Assert.True(second.Complete, second.ToString());
        Assert.Equal(Items, failing.Written.Keys.Concat(healthy.Written.Keys).ToHashSet().Count);
        Assert.Equal(Items, second.Written - (second.Scanned - Items));
        Assert.InRange(second.Scanned - Items, 0, Segments * PageSize - 1);
    }

    [Fact]
    public async Task Resume_AfterAGracefulStop_ReadsNothingTwice()
    {
        using var graceful = new CancellationTokenSource();
        var stopping = new FakeWriteTarget { OnRequest = n => { if (n == 50) graceful.Cancel(); } };
        var first = await CopyAsync(stopping, Checkpoint(resume: false), new StopSignals(graceful.Token, CancellationToken.None));
        var saved = CheckpointFile.Load(CheckpointPath)!;

        var rest = new FakeWriteTarget();
        var second = await CopyAsync(rest, Checkpoint(resume: true), StopSignals.None);

        Assert.True(first.Interrupted);
        Assert.Equal(CheckpointState.Stopped, saved.State);
        Assert.Equal(first.Scanned, saved.Totals.Scanned); // a graceful stop settles everything it read
        Assert.True(second.Complete, second.ToString());
        Assert.Equal(Items, second.Scanned);
        Assert.Equal(Items, second.Written);
        Assert.Empty(rest.Written.Keys.Intersect(stopping.Written.Keys));
        Assert.Equal(Items, stopping.Written.Count + rest.Written.Count);
    }

    [Fact]
    public async Task Resume_AfterAHardStop_ReadsAgainWhatWasDeadLetteredByTheStop()
    {
        using var hard = new CancellationTokenSource();
        var stopping = new FakeWriteTarget();
        // From the 30th request on, writes hang until the hard stop, which comes while four of them are in flight.
        var stalling = new StallingTarget(stopping, stallFrom: 30, stopWhenStalled: 4, hard);
        var first = await CopyAsync(stalling, Checkpoint(resume: false), new StopSignals(CancellationToken.None, hard.Token));
        var saved = CheckpointFile.Load(CheckpointPath)!;

        var rest = new FakeWriteTarget();
        var second = await CopyAsync(rest, Checkpoint(resume: true), StopSignals.None);

        Assert.True(first.DeadLettered > 0, first.ToString());
        Assert.Equal(0, saved.Totals.DeadLettered); // what the stop recorded is not settled: it is read again
        Assert.True(second.Complete, second.ToString());
        Assert.Equal(Items, stopping.Written.Keys.Concat(rest.Written.Keys).ToHashSet().Count);
    }

    [Fact]
    public async Task Resume_OfAFinishedJob_ReadsNothing()
    {
        await CopyAsync(new FakeWriteTarget(), Checkpoint(resume: false), StopSignals.None);
        var again = new FakeWriteTarget();

        var second = await CopyAsync(again, Checkpoint(resume: true), StopSignals.None);

        Assert.Empty(again.Written);
        Assert.Equal(Items, second.Resumed);
        Assert.Equal(Items, second.Written);
    }

    [Fact]
    public async Task Resume_OfAnExportStoppedHard_ListsEveryItemOnceAcrossTheRuns()
    {
        var exportFolder = Path.Combine(_folder, "export");
        Directory.CreateDirectory(exportFolder);
        using var store = new DirectoryStore(exportFolder);
        using var hard = new CancellationTokenSource();
        var first = Checkpoint(resume: false);
        // Stopped hard once a few data files are committed, while other files are half written.
        var stopping = new PageHook(new InMemoryScanSource(Items, PageSize), () => { if (first.Ledger.Snapshot().Files.Count >= 3) hard.Cancel(); });

        await ExportAsync(store, stopping, first, new StopSignals(CancellationToken.None, hard.Token), "");
        var saved = CheckpointFile.Load(CheckpointPath)!;
        var second = await ExportAsync(store, new InMemoryScanSource(Items, PageSize), Checkpoint(resume: true), StopSignals.None, "r2-");
        var files = CheckpointFile.Load(CheckpointPath)!.Files!;

        Assert.NotEmpty(saved.Files!);
        Assert.True(second.Complete, second.ToString());
        Assert.Equal(Items, second.Written);
        Assert.Equal(Items, files.Sum(f => f.ItemCount));
        var keys = files.SelectMany(f => Keys(Path.Combine(exportFolder, f.DataFileS3Key))).ToList();
        Assert.Equal(Items, keys.Count);
        Assert.Equal(Items, keys.Distinct().Count());
        Assert.Contains(files, f => f.DataFileS3Key.Contains("/r2-", StringComparison.Ordinal));
    }

    private static Task<TransferSummary> ExportAsync(IFileStore store, IScanPageReader source, JobCheckpoint checkpoint, StopSignals stop, string prefix)
    {
        var read = new ReadPlan(1_000_000, "test", Segments, Enumerable.Range(0, Segments).ToList(), null, 50);
        var sink = new ExportFileSink(store, new ExportFileOptions { MaxFileBytes = 20_000, WriterCount = 2, FilePrefix = prefix }, NullLogger.Instance);
        return new TransferJob(new SegmentedScanSource(source, read, Options, TimeProvider.System), sink, Options, TimeProvider.System,
            NullLogger.Instance, checkpoint: checkpoint).RunAsync(stop);
    }

    private static IEnumerable<string> Keys(string gzipFile)
    {
        using var text = new StreamReader(new GZipStream(File.OpenRead(gzipFile), CompressionMode.Decompress));
        return text.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => DynamoDbJson.ParseItemLine(l)["pk"].S).ToList();
    }

    /// <summary>Passes requests on until <c>stallFrom</c>; later ones wait for the stop, which it gives once <c>stopWhenStalled</c> of them wait.</summary>
    private sealed class StallingTarget(IBatchWriteTarget inner, int stallFrom, int stopWhenStalled, CancellationTokenSource stop) : IBatchWriteTarget
    {
        private int _requests;
        private int _stalled;

        public async Task<BatchWriteResult> WriteAsync(IReadOnlyList<Dictionary<string, AttributeValue>> items, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _requests) < stallFrom)
            {
                return await inner.WriteAsync(items, cancellationToken);
            }

            if (Interlocked.Increment(ref _stalled) == stopWhenStalled)
            {
                await stop.CancelAsync();
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("not reached");
        }
    }

    /// <summary>Calls a hook before each page is served.</summary>
    private sealed class PageHook(IScanPageReader inner, Action beforePage) : IScanPageReader
    {
        public Task<ScanPage> ScanAsync(int segment, int totalSegments, Dictionary<string, AttributeValue>? exclusiveStartKey, int? limit,
            CancellationToken cancellationToken)
        {
            beforePage();
            return inner.ScanAsync(segment, totalSegments, exclusiveStartKey, limit, cancellationToken);
        }
    }
}
