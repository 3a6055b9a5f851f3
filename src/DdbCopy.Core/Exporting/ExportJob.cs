using System.Threading.Channels;
using DdbCopy.Core.Copying;
using DdbCopy.Core.Errors;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Storage;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Exporting;

/// <summary>
/// The export pipeline: a producer (the segmented scan) feeds a bounded channel of batches that a few data-file
/// writers drain, each into its own file, closing it and starting the next once it is large enough. An item counts as
/// written once the file that holds it is committed (moved into place or uploaded). A graceful stop commits what was
/// read; a hard stop or a failure discards the files not yet committed.
/// </summary>
public sealed class ExportJob(
    IBatchProducer producer,
    IFileStore store,
    ExportJobOptions options,
    TimeProvider timeProvider,
    ILogger logger,
    ICopyObserver? observer = null)
{
    private readonly CopyCounters _counters = new();
    private readonly List<ManifestFile> _files = [];
    private DdbCopyException? _firstError;

    /// <summary>The committed data files, in name order.</summary>
    public IReadOnlyList<ManifestFile> Files => _files.OrderBy(f => f.DataFileS3Key, StringComparer.Ordinal).ToList();

    public async Task<CopySummary> RunAsync(CopyStopSignals stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        var started = timeProvider.GetTimestamp();
        using var stops = new JobStops(stop, logger);
        using var progress = observer is null
            ? null
            : timeProvider.CreateTimer(_ => observer.Progress(Snapshot(started)), null, options.ProgressInterval, options.ProgressInterval);

        var channel = JobStops.Queue(Math.Max(4, options.WriterCount * 8));
        var context = new BatchProducerContext(channel.Writer, _counters, stops.ReadStop.Token, stops.Abort.Token, JobStops.RetryReporter(_counters, logger));
        var reading = BatchProduction.RunAsync(producer, context, stops.ReadStop, Fail);
        var writing = Enumerable.Range(0, options.WriterCount).Select(w => WriteAllAsync(w, channel.Reader, stops.Abort)).ToList();
        await Task.WhenAll(writing);
        var readComplete = await reading;

        var summary = Snapshot(started, stops.Interrupted(readComplete, _firstError is not null), _firstError?.Message);
        observer?.Progress(summary);
        return summary;
    }

    private async Task WriteAllAsync(int writer, ChannelReader<WriteBatch> input, CancellationTokenSource abort)
    {
        await Task.Yield();
        DataFileWriter? file = null;
        var sequence = 0;
        try
        {
            await foreach (var batch in input.ReadAllAsync(abort.Token))
            {
                file ??= new DataFileWriter(store, NextName(writer, ++sequence), options.Compression);
                await file.WriteAsync(batch.Items, abort.Token);
                if (file.UncompressedBytes >= options.MaxFileBytes)
                {
                    await CommitAsync(file, abort.Token);
                    file = null;
                }
            }

            if (file is not null)
            {
                await CommitAsync(file, abort.Token);
                file = null;
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Amazon.Runtime.AmazonServiceException
                                       or Amazon.Runtime.AmazonClientException or HttpRequestException)
        {
            Fail(new DdbCopyException(FailureKind.CopyFailed,
                $"Cannot write {(file is null ? "a data file" : file.Name)} under {store.Root}: {Aws.ErrorText.Describe(ex)}", ex));
            await abort.CancelAsync();
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync();
            }
        }
    }

    private async Task CommitAsync(DataFileWriter file, CancellationToken cancellationToken)
    {
        var entry = await file.CommitAsync(cancellationToken);
        lock (_files)
        {
            _files.Add(entry);
        }

        _counters.AddWritten((int)entry.ItemCount);
        Log.DataFileWritten(logger, file.Name, entry.ItemCount, file.UncompressedBytes);
        await file.DisposeAsync();
    }

    private string NextName(int writer, int sequence) =>
        $"{ExportManifest.DataFolder}/{writer:00}-{sequence:000000}{DataCompressions.Extension(options.Compression)}";

    private void Fail(DdbCopyException error)
    {
        if (Interlocked.CompareExchange(ref _firstError, error, null) is null)
        {
            Log.Fatal(logger, error.Message);
        }
    }

    private CopySummary Snapshot(long started, bool interrupted = false, string? error = null) =>
        CopySummary.From(_counters, timeProvider.GetElapsedTime(started), interrupted, error);
}
