using System.Threading.Channels;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Errors;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Copying;

/// <summary>
/// The copy pipeline: segmented scan producers, a bounded channel of batches, and batch writers, all paying into
/// shared capacity buckets. A failure while scanning stops the scan and lets queued writes drain; a failure while
/// writing, or a hard stop, cancels everything.
/// </summary>
public sealed class CopyJob(
    IScanSource source,
    IBatchWriteTarget target,
    CopyPlan plan,
    CopyJobOptions options,
    TimeProvider timeProvider,
    ILogger logger,
    ICopyObserver? observer = null)
{
    private readonly CopyCounters _counters = new();
    private readonly Lock _errorLock = new();
    private DdbCopyException? _firstError;

    public async Task<CopySummary> RunAsync(CopyStopSignals stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        var started = timeProvider.GetTimestamp();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(stop.Hard);
        using var scanStop = CancellationTokenSource.CreateLinkedTokenSource(stop.Graceful, abort.Token);
        using var gracefulNote = stop.Graceful.Register(() => Log.GracefulStop(logger));
        using var readBudget = new CapacityBucket(plan.ReadUnitsPerSecond, timeProvider);
        using var writeBudget = new CapacityBucket(plan.WriteUnitsPerSecond, timeProvider);
        using var progress = observer is null
            ? null
            : timeProvider.CreateTimer(_ => observer.Progress(Snapshot(started)), null, options.ProgressInterval, options.ProgressInterval);

        var channel = Channel.CreateBounded<WriteBatch>(new BoundedChannelOptions(Math.Max(2, plan.WriterCount * 2))
        {
            FullMode = BoundedChannelFullMode.Wait,
        });
        var readRetry = RetryPipelines.Create(options.MaxRetries, timeProvider, c => OnRetry("Scan", c), options.RetryBaseDelay, options.RetryMaxDelay);
        var writeRetry = RetryPipelines.Create(options.MaxRetries, timeProvider, c => OnRetry("BatchWriteItem", c), options.RetryBaseDelay, options.RetryMaxDelay);
        var producer = new ScanProducer(source, options.SourceTable, plan, readBudget, readRetry, channel.Writer, _counters);
        var writer = new BatchWriter(target, options.DestinationTable, plan.WriteCost, writeBudget, writeRetry, options.MaxRetries, timeProvider, _counters, logger);

        var scanning = ScanAllAsync(producer, channel.Writer, scanStop, abort);
        var writing = Enumerable.Range(0, plan.WriterCount)
            .Select(_ => WriteAllAsync(writer, channel.Reader, abort))
            .ToList();
        await Task.WhenAll(writing);
        var scanComplete = await scanning;

        var interrupted = !scanComplete && (stop.Graceful.IsCancellationRequested || stop.Hard.IsCancellationRequested);
        var summary = Snapshot(started, interrupted, _firstError?.Message);
        observer?.Progress(summary);
        return summary;
    }

    private async Task<bool> ScanAllAsync(ScanProducer producer, ChannelWriter<WriteBatch> output,
        CancellationTokenSource scanStop, CancellationTokenSource abort)
    {
        await Task.Yield();
        var complete = true;
        try
        {
            var parallel = new ParallelOptions
            {
                MaxDegreeOfParallelism = Math.Clamp(plan.Segments.Count, 1, options.MaxConcurrentSegments),
                CancellationToken = abort.Token,
            };
            await Parallel.ForEachAsync(plan.Segments, parallel, async (segment, _) =>
            {
                if (!await producer.RunSegmentAsync(segment, scanStop.Token, abort.Token))
                {
                    complete = false;
                }
            });
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            complete = false;
        }
        catch (DdbCopyException ex)
        {
            // The source failed: read no more, but let the writers finish what is already queued.
            Fail(ex);
            await scanStop.CancelAsync();
            complete = false;
        }
        finally
        {
            output.TryComplete();
        }

        return complete;
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

    private void OnRetry(string operation, ErrorClass errorClass)
    {
        _counters.AddRetry(errorClass == ErrorClass.Throttled);
        Log.Retrying(logger, operation, errorClass.ToString());
    }

    private CopySummary Snapshot(long started, bool interrupted = false, string? error = null) =>
        CopySummary.From(_counters, timeProvider.GetElapsedTime(started), interrupted, error);
}
