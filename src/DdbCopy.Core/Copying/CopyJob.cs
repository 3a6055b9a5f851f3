using System.Threading.Channels;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Errors;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Copying;

/// <summary>
/// The pipeline: a producer (segmented scan, or a file) feeds a bounded channel of batches that several batch
/// writers drain, all writers paying into one capacity bucket. A failure while reading stops the reading and lets
/// queued writes drain; a failure while writing, or a hard stop, cancels everything. Whatever is not confirmed
/// written ends in the dead-letter file, so scanned = written + dead-lettered.
/// </summary>
public sealed class CopyJob(
    IBatchProducer producer,
    IBatchWriteTarget target,
    WritePlan plan,
    CopyJobOptions options,
    DeadLetterFile deadLetters,
    TimeProvider timeProvider,
    ILogger logger,
    ICopyObserver? observer = null,
    IRefusedItems? refused = null)
{
    private readonly CopyCounters _counters = new();
    private readonly Lock _errorLock = new();
    private DdbCopyException? _firstError;

    public async Task<CopySummary> RunAsync(CopyStopSignals stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        var started = timeProvider.GetTimestamp();
        using var stops = new JobStops(stop, logger);
        using var writeBudget = new CapacityBucket(plan.WriteUnitsPerSecond, timeProvider);
        using var progress = observer is null
            ? null
            : timeProvider.CreateTimer(_ => observer.Progress(Snapshot(started)), null, options.ProgressInterval, options.ProgressInterval);

        var channel = JobStops.Queue(Math.Max(2, plan.WriterCount * 2));
        var onRetry = JobStops.RetryReporter(_counters, logger);
        var writeRetry = RetryPipelines.Create(options.MaxRetries, timeProvider, c => onRetry("BatchWriteItem", c), options.RetryBaseDelay, options.RetryMaxDelay);
        var writer = new BatchWriter(target, options.DestinationTable, plan.WriteCost, writeBudget, writeRetry, options.MaxRetries,
            (options.RetryBaseDelay, options.RetryMaxDelay), deadLetters, refused ?? new DeadLetterRefusals(deadLetters, logger), timeProvider, _counters, logger);

        var context = new BatchProducerContext(channel.Writer, _counters, stops.ReadStop.Token, stops.Abort.Token, onRetry, plan.BatchItems);
        var reading = BatchProduction.RunAsync(producer, context, stops.ReadStop, Fail);
        var writing = Enumerable.Range(0, plan.WriterCount)
            .Select(_ => WriteAllAsync(writer, channel.Reader, stops.Abort))
            .ToList();
        await Task.WhenAll(writing);
        var readComplete = await reading;
        await DeadLetterQueuedAsync(channel.Reader);

        var summary = Snapshot(started, stops.Interrupted(readComplete, _firstError is not null), _firstError?.Message);
        observer?.Progress(summary);
        return summary;
    }

    private async Task WriteAllAsync(BatchWriter writer, ChannelReader<WriteBatch> input, CancellationTokenSource abort)
    {
        await Task.Yield();
        try
        {
            await foreach (var batch in input.ReadAllAsync(abort.Token))
            {
                await writer.WriteAsync(batch, abort.Token);
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
        }
        catch (DdbCopyException ex)
        {
            // The destination failed: stop everything now.
            Fail(ex);
            await abort.CancelAsync();
        }
    }

    /// <summary>After a hard stop or a fatal write error, batches still queued are recorded, not dropped.</summary>
    private async Task DeadLetterQueuedAsync(ChannelReader<WriteBatch> input)
    {
        while (input.TryRead(out var batch))
        {
            try
            {
                await deadLetters.WriteAsync(batch.Items);
                _counters.AddDeadLettered(batch.Count);
            }
            catch (DdbCopyException ex)
            {
                Fail(ex);
                return;
            }
        }
    }

    private void Fail(DdbCopyException error)
    {
        lock (_errorLock)
        {
            if (_firstError is not null)
            {
                return;
            }

            _firstError = error;
        }

        Log.Fatal(logger, error.Message);
    }

    private CopySummary Snapshot(long started, bool interrupted = false, string? error = null) =>
        CopySummary.From(_counters, timeProvider.GetElapsedTime(started), interrupted, error, deadLetters.Count > 0 ? deadLetters.Path : null);
}
