using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using Microsoft.Extensions.Logging;
using Polly;
using DdbCopy.Core.Engine;

namespace DdbCopy.Core.Sinks.DynamoDb;

/// <summary>
/// Sends one batch with BatchWriteItem, paying the write budget before each attempt, re-sending UnprocessedItems
/// (at once when the rate adapts, after a backoff when it is fixed) and throttled requests with backoff, and counting
/// every item as written or failed.
/// </summary>
/// <remarks>
/// The retry budget (--maxRetries) counts attempts that make no progress. A response that writes part of the batch
/// starts a fresh budget for the rest after a jittered exponential pause (growing with each such round), so a batch
/// that keeps moving under heavy throttling is never given up, while a batch whose items are refused again and again is.
/// </remarks>
internal sealed class BatchWriter(
    IBatchWriteTarget target,
    string tableName,
    WriteCostModel cost,
    CapacityBucket writeBudget,
    ResiliencePipeline retry,
    int maxRetries,
    (TimeSpan? Base, TimeSpan? Max) backoff,
    DeadLetterFile deadLetters,
    IRefusedItems refused,
    TimeProvider timeProvider,
    TransferCounters counters,
    ILogger logger,
    IRateFeedback? feedback = null,
    InFlightSizer? inFlight = null)
{
    /// <summary>Writes the batch, or records what of it cannot be written.</summary>
    /// <returns>What became of the batch's items (also added to the job's counters).</returns>
    public async Task<TransferCounters> WriteAsync(WriteBatch batch, CancellationToken abort)
    {
        var tally = new TransferCounters();
        try
        {
            await WriteCoreAsync(batch, tally, abort);
        }
        finally
        {
            counters.Add(tally);
        }

        return tally;
    }

    private async Task WriteCoreAsync(WriteBatch batch, TransferCounters tally, CancellationToken abort)
    {
        var remaining = batch;
        var partialRounds = 0;
        try
        {
            while (remaining.Count > 0)
            {
                var resend = !ReferenceEquals(remaining, batch);
                var left = await retry.ExecuteAsync(ct => SendAsync(remaining, resend, tally, ct), abort);
                if (left.Count == 0)
                {
                    return;
                }

                // Part of the batch went through: send the rest with a fresh retry budget. An adaptive rate has just
                // been told what the server refused and paces the rest through the bucket, so it goes out again at once;
                // at a fixed rate (the budget is not what the server takes now) back off first.
                tally.AddRetry(throttled: true);
                remaining = left;
                if (feedback is null)
                {
                    await Task.Delay(RetryPipelines.Backoff(partialRounds++, backoff.Base, backoff.Max), timeProvider, abort);
                }
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // Stopped hard while this batch was in flight: it may or may not have been written, so record it.
            await RecordAsync(remaining, tally);
            throw;
        }
        catch (Exception ex) when (ErrorClassifier.IsItemRefusal(ex))
        {
            // DynamoDB refused the whole batch for one bad item: halve it until that item is alone, write the rest.
            await IsolateAsync(remaining, ErrorText.Describe(ex), tally, abort);
        }
        catch (Exception ex) when (ErrorClassifier.IsRetryable(ex, abort))
        {
            // Out of retries on a passing fault: the items are not written; the dead-letter file keeps them.
            var unwritten = ex is UnprocessedBatchException { Batch: { } rest } ? rest : remaining;
            tally.AddFailed(unwritten.Count);
            Log.WriteGaveUp(logger, unwritten.Count, maxRetries, ErrorText.Describe(ex));
            await RecordAsync(unwritten, tally);
        }
        catch (Exception ex)
        {
            await RecordAsync(remaining, tally);
            throw new DdbCopyException(FailureKind.CopyFailed,
                $"Writing to destination table '{tableName}' failed: {ErrorText.Describe(ex)}", ex);
        }
    }

    private async Task IsolateAsync(WriteBatch batch, string reason, TransferCounters tally, CancellationToken abort)
    {
        if (batch.Count == 1)
        {
            await refused.RefuseAsync(batch.Items[0], batch.OriginOf(0), reason, tally);
            return;
        }

        var (first, second) = batch.Halves();
        try
        {
            await WriteCoreAsync(first, tally, abort);
        }
        catch
        {
            // The first half stopped the job (a hard stop, a fatal error): the second half is recorded, not lost.
            await RecordAsync(second, tally);
            throw;
        }

        await WriteCoreAsync(second, tally, abort);
    }

    private async Task RecordAsync(WriteBatch items, TransferCounters tally)
    {
        await deadLetters.WriteAsync(items.Items);
        tally.AddDeadLettered(items.Count);
    }

    /// <summary>One attempt. Returns what is left after progress; throws when nothing at all was written.</summary>
    /// <param name="resend">What an earlier answer left unprocessed: with an adaptive rate it waits a little longer, see below.</param>
    private async ValueTask<WriteBatch> SendAsync(WriteBatch items, bool resend, TransferCounters tally, CancellationToken cancellationToken)
    {
        var estimate = cost.Estimate(items.Items, items.Sizes);
        double Actual(BatchWriteResult r) =>
            r.Consumed.Count > 0 ? cost.Actual(r.Consumed) : estimate * (items.Count - r.Unprocessed.Count) / items.Count;

        // The bucket lets a request go once its own cost has been refilled, and an adaptive rate sits a little above what
        // the server takes, so the server has refilled a little less than that when the request comes. For a batch of
        // 25 that is one item refused; for the few items a batch left over it is often all of them (throttled as a
        // whole). So before re-sending them, wait as long as a third of a full batch costs (spent, not refunded): the
        // server refills that much more first.
        if (resend && feedback is not null)
        {
            var spacing = SpacingUnits(estimate, items.Count);
            await writeBudget.AcquireAsync(spacing, cancellationToken);
            feedback.Observe(spacing, 0); // budget used, as if accepted: the rate covers it on top of what the server takes
        }

        async Task<BatchWriteResult> TimedAsync(CancellationToken c)
        {
            var sent = timeProvider.GetTimestamp();
            var answer = await target.WriteAsync(items.Items, c);
            inFlight?.Observe(timeProvider.GetElapsedTime(sent), estimate);
            return answer;
        }

        var result = await writeBudget.SendAsync(estimate, TimedAsync, r => (Actual(r), estimate * r.Unprocessed.Count / items.Count),
            feedback, cancellationToken);
        var done = items.Count - result.Unprocessed.Count;
        tally.AddWriteUnits(result.Consumed.Count > 0 ? result.Consumed.Sum(c => c.CapacityUnits ?? 0) : Actual(result));
        tally.AddWritten(done);

        if (result.Unprocessed.Count == 0)
        {
            return WriteBatch.Empty;
        }

        var left = items.Subset(result.Unprocessed);
        if (done == 0)
        {
            // No progress at all: let the retry pipeline back off and count it against the budget.
            throw new UnprocessedBatchException(left);
        }

        return left;
    }

    /// <summary>A third of what a full batch of items like these costs.</summary>
    private static double SpacingUnits(double estimate, int count) =>
        estimate / count * Math.Max(1, DdbCopy.Core.Aws.DynamoDbLimits.BatchWriteItems / 3);
}
