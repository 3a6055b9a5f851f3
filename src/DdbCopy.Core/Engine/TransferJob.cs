using System.Threading.Channels;
using DdbCopy.Core.Engine.Checkpoints;
using DdbCopy.Core.Aws;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Engine;

/// <summary>
/// The one transfer engine: a source (a segmented scan, files) feeds a bounded channel of batches that the workers of
/// a sink (a DynamoDB table, export data files) drain. A failure while reading stops the reading and lets queued
/// writes drain; a failure while writing, or a hard stop, cancels everything, and what is still queued is handed to
/// the sink to record (a copy's dead-letter file), so read = written + recorded. With a checkpoint, the job's totals
/// start from what earlier runs settled, the checkpoint is saved while the job runs and once more when it ends.
/// </summary>
public sealed class TransferJob(
    IItemSource source,
    IBatchSink sink,
    TransferOptions options,
    TimeProvider timeProvider,
    ILogger logger,
    IProgressObserver? observer = null,
    JobCheckpoint? checkpoint = null)
{
    private readonly TransferCounters _counters = new();
    private DdbCopyException? _firstError;

    public async Task<TransferSummary> RunAsync(StopSignals stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        var started = timeProvider.GetTimestamp();
        using var stops = new JobStops(stop, logger);
        var ledger = checkpoint?.Ledger;
        if (ledger is not null)
        {
            _counters.Add(ledger.Snapshot().Settled); // the totals cover the whole job
        }

        // Every interval, also without an observer: each snapshot reads what limited the rate since the one before.
        using var progress = timeProvider.CreateTimer(_ =>
        {
            var snapshot = Snapshot(started);
            observer?.Progress(snapshot);
        }, null, options.ProgressInterval, options.ProgressInterval);

        using var saverStop = new CancellationTokenSource();
        var saver = checkpoint?.RunSaverAsync(saverStop.Token) ?? Task.CompletedTask;
        var queues = Queues();
        var output = queues.Count == 1 ? queues[0].Writer : new LaneRouter(queues);
        var onRetry = JobStops.RetryReporter(_counters, logger);
        sink.Start(new SinkContext(_counters, onRetry, ledger));
        var context = new SourceContext(output, _counters, stops.ReadStop.Token, stops.Abort.Token, onRetry, sink.BatchItems, ledger);
        var reading = SourceRun.RunAsync(source, context, stops.ReadStop, Fail);
        var writing = Enumerable.Range(0, sink.Workers)
            .Select(w => DrainAsync(w, queues[w % queues.Count].Reader, stops.Abort)).ToList();
        await Task.WhenAll(writing);
        var readComplete = await reading;
        try
        {
            foreach (var queue in queues)
            {
                await sink.SettleQueuedAsync(queue.Reader);
            }
        }
        catch (DdbCopyException ex)
        {
            Fail(ex);
        }

        await saverStop.CancelAsync();
        await saver;
        var interrupted = stops.Interrupted(readComplete, _firstError is not null);
        checkpoint?.SaveLast(_firstError is not null, interrupted || stop.Graceful.IsCancellationRequested || stop.Hard.IsCancellationRequested);

        var summary = Snapshot(started, interrupted, _firstError?.Message);
        observer?.Progress(summary);
        return summary;
    }

    private async Task DrainAsync(int index, ChannelReader<WriteBatch> input, CancellationTokenSource abort)
    {
        await Task.Yield();
        await using var worker = sink.CreateWorker(index);
        try
        {
            var gate = sink.Gate;
            while (await input.WaitToReadAsync(abort.Token))
            {
                Capacity.ConcurrencyGate.Place? place = gate is null ? null : await gate.EnterAsync(abort.Token);
                try
                {
                    if (input.TryRead(out var batch))
                    {
                        await worker.WriteAsync(batch, abort.Token);
                    }
                }
                finally
                {
                    place?.Dispose();
                }
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

    /// <summary>One queue, or one per worker when the sink keeps each lane's order.</summary>
    private List<Channel<WriteBatch>> Queues()
    {
        var count = sink.KeepsLaneOrder ? Math.Max(1, sink.Workers) : 1;
        return Enumerable.Range(0, count).Select(_ => JobStops.Queue(Math.Max(2, sink.QueueCapacity / count))).ToList();
    }

    private void Fail(DdbCopyException error)
    {
        if (Interlocked.CompareExchange(ref _firstError, error, null) is null)
        {
            Log.Fatal(logger, error.Message);
        }
    }

    private TransferSummary Snapshot(long started, bool interrupted = false, string? error = null) =>
        TransferSummary.From(_counters, timeProvider.GetElapsedTime(started), interrupted, error, sink.RecordedPath) with
        {
            Resumed = checkpoint?.Resumed ?? 0,
            CheckpointFile = checkpoint?.Path,
            LimitedBy = sink.RateLimits?.Read(),
            LimitShares = sink.RateLimits?.Shares(),
        };
}
