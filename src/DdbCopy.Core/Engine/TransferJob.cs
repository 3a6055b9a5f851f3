using System.Threading.Channels;
using DdbCopy.Core.Errors;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Engine;

/// <summary>
/// The one transfer engine: a source (a segmented scan, files) feeds a bounded channel of batches that the workers of
/// a sink (a DynamoDB table, export data files) drain. A failure while reading stops the reading and lets queued
/// writes drain; a failure while writing, or a hard stop, cancels everything, and what is still queued is handed to
/// the sink to record (a copy's dead-letter file), so read = written + recorded.
/// </summary>
public sealed class TransferJob(
    IItemSource source,
    IBatchSink sink,
    TransferOptions options,
    TimeProvider timeProvider,
    ILogger logger,
    IProgressObserver? observer = null)
{
    private readonly TransferCounters _counters = new();
    private DdbCopyException? _firstError;

    public async Task<TransferSummary> RunAsync(StopSignals stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        var started = timeProvider.GetTimestamp();
        using var stops = new JobStops(stop, logger);
        using var progress = observer is null
            ? null
            : timeProvider.CreateTimer(_ => observer.Progress(Snapshot(started)), null, options.ProgressInterval, options.ProgressInterval);

        var channel = JobStops.Queue(sink.QueueCapacity);
        var onRetry = JobStops.RetryReporter(_counters, logger);
        sink.Start(new SinkContext(_counters, onRetry));
        var context = new SourceContext(channel.Writer, _counters, stops.ReadStop.Token, stops.Abort.Token, onRetry, sink.BatchItems);
        var reading = SourceRun.RunAsync(source, context, stops.ReadStop, Fail);
        var writing = Enumerable.Range(0, sink.Workers).Select(w => DrainAsync(w, channel.Reader, stops.Abort)).ToList();
        await Task.WhenAll(writing);
        var readComplete = await reading;
        try
        {
            await sink.SettleQueuedAsync(channel.Reader);
        }
        catch (DdbCopyException ex)
        {
            Fail(ex);
        }

        var summary = Snapshot(started, stops.Interrupted(readComplete, _firstError is not null), _firstError?.Message);
        observer?.Progress(summary);
        return summary;
    }

    private async Task DrainAsync(int index, ChannelReader<WriteBatch> input, CancellationTokenSource abort)
    {
        await Task.Yield();
        await using var worker = sink.CreateWorker(index);
        try
        {
            await foreach (var batch in input.ReadAllAsync(abort.Token))
            {
                await worker.WriteAsync(batch, abort.Token);
            }

            await worker.FinishAsync(abort.Token);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
        }
        catch (DdbCopyException ex)
        {
            // The sink failed: stop everything now.
            Fail(ex);
            await abort.CancelAsync();
        }
    }

    private void Fail(DdbCopyException error)
    {
        if (Interlocked.CompareExchange(ref _firstError, error, null) is null)
        {
            Log.Fatal(logger, error.Message);
        }
    }

    private TransferSummary Snapshot(long started, bool interrupted = false, string? error = null) =>
        TransferSummary.From(_counters, timeProvider.GetElapsedTime(started), interrupted, error, sink.RecordedPath);
}
