using DdbCopy.Core.Capacity;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Sinks.Files;
using DdbCopy.Core.Sources.DynamoDb;
using DdbCopy.Core.Sources.Files;
using DdbCopy.Core.Storage;
using DdbCopy.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using DdbCopy.Core.Engine;

namespace DdbCopy.Tests.Sinks;

/// <summary>The transfer engine with the export file sink against an in-memory scan and a temporary folder.</summary>
public sealed class ExportFileSinkTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-exportjob-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ReadPlan Plan(int segments = 4) => new(1_000_000, "test", segments, Enumerable.Range(0, segments).ToList(), null, 50);

    private static ExportRun Job(IScanPageReader source, IFileStore store, long maxFileBytes = 1L << 30, int writers = 2)
    {
        var options = new TransferOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1) };
        var sink = new ExportFileSink(store, new ExportFileOptions { Compression = DataCompression.Gzip, MaxFileBytes = maxFileBytes, WriterCount = writers },
            NullLogger.Instance);
        return new ExportRun(new TransferJob(new SegmentedScanSource(source, Plan(), options, TimeProvider.System), sink, options, TimeProvider.System,
            NullLogger.Instance), sink);
    }

    /// <summary>An export: the transfer engine with the export's file sink.</summary>
    private sealed class ExportRun(TransferJob job, ExportFileSink sink)
    {
        public IReadOnlyList<ManifestFile> Files => sink.Files;

        public Task<TransferSummary> RunAsync(StopSignals stop) => job.RunAsync(stop);
    }

    [Fact]
    public async Task Run_WritesEveryItemOnceIntoFilesOfBoundedSize()
    {
        using var store = new DirectoryStore(_folder);
        var job = Job(new InMemoryScanSource(5_000), store, maxFileBytes: 20_000);

        var summary = await job.RunAsync(StopSignals.None);

        Assert.True(summary.Complete);
        Assert.Equal(5_000, summary.Written);
        Assert.True(job.Files.Count > 5, $"{job.Files.Count} files");
        Assert.Equal(5_000, job.Files.Sum(f => f.ItemCount));
        var keys = new List<string>();
        foreach (var file in job.Files)
        {
            Assert.True(new FileInfo(Path.Combine(_folder, file.DataFileS3Key)).Exists);
            using var text = new StreamReader(new System.IO.Compression.GZipStream(File.OpenRead(Path.Combine(_folder, file.DataFileS3Key)),
                System.IO.Compression.CompressionMode.Decompress));
            var lines = text.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(file.ItemCount, lines.Length);
            Assert.True(lines.Sum(l => l.Length + 1) < 20_000 + (100 * 60), "a file holds at most one page (a batch of 100 items) beyond the bound");
            keys.AddRange(lines.Select(l => DynamoDbJson.ParseItemLine(l)["pk"].S));
        }

        Assert.Equal(5_000, keys.Distinct().Count());
        using var source = new ImportSource(store, job.Files.Select(f => new InputFile(f.DataFileS3Key, f.ItemCount, f.Md5Checksum)).ToList(), null, null);
        Assert.Equal(5_000, await ManifestVerifier.VerifyAsync(source, default));
    }

    [Fact]
    public async Task Run_WhenStoppedGracefully_CommitsWhatWasReadAndSaysInterrupted()
    {
        using var store = new DirectoryStore(_folder);
        using var graceful = new CancellationTokenSource();
        var source = new GatedScanSource(new InMemoryScanSource(100_000, pageSize: 50), openPages: 40);
        var running = Job(source, store).RunAsync(new StopSignals(graceful.Token, CancellationToken.None));

        await source.Reached.WaitAsync(TimeSpan.FromSeconds(10));
        await graceful.CancelAsync();
        var summary = await running;

        Assert.True(summary.Interrupted);
        Assert.False(summary.Complete);
        Assert.Equal(40 * 50, summary.Written);
        Assert.Equal(summary.Scanned, summary.Written);
        Assert.Empty(Directory.GetFiles(_folder, "*.partial", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Run_WhenStoppedHard_DiscardsUnfinishedFiles()
    {
        using var store = new DirectoryStore(_folder);
        using var hard = new CancellationTokenSource();
        var source = new GatedScanSource(new InMemoryScanSource(100_000, pageSize: 50), openPages: 40);
        var running = Job(source, store).RunAsync(new StopSignals(CancellationToken.None, hard.Token));

        await source.Reached.WaitAsync(TimeSpan.FromSeconds(10));
        await hard.CancelAsync();
        var summary = await running;

        Assert.True(summary.Interrupted);
        Assert.Equal(0, summary.Written);
        Assert.Empty(Directory.GetFiles(_folder, "*", SearchOption.AllDirectories));
    }

    /// <summary>Serves a number of pages, then holds every further request until it is cancelled, so a stop lands mid-scan.</summary>
    private sealed class GatedScanSource(IScanPageReader inner, int openPages) : IScanPageReader
    {
        private int _served;
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        public async Task<ScanPage> ScanAsync(int segment, int totalSegments, Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>? exclusiveStartKey,
            int? limit, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _served) > openPages)
            {
                _reached.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return await inner.ScanAsync(segment, totalSegments, exclusiveStartKey, limit, cancellationToken);
        }
    }
}
