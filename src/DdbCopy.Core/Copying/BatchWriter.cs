using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Errors;
using DdbCopy.Core.Items;
using Microsoft.Extensions.Logging;
using Polly;

namespace DdbCopy.Core.Copying;

/// <summary>
/// Sends one batch with BatchWriteItem, paying the write budget before each attempt, re-sending UnprocessedItems
/// and throttled requests with backoff, and counting every item as written or failed.
/// </summary>
internal sealed class BatchWriter(
    IBatchWriteTarget target,
    string tableName,
    WriteCostModel cost,
    CapacityBucket writeBudget,
    ResiliencePipeline retry,
    int maxRetries,
    CopyCounters counters,
    ILogger logger)
{
    public async Task WriteAsync(WriteBatch batch, CancellationToken abort)
    {
        var remaining = batch;
        try
        {
            await retry.ExecuteAsync(async ct =>
            {
                var estimate = cost.Estimate(remaining.Items, remaining.Sizes);
                await writeBudget.AcquireAsync(estimate, ct);
                BatchWriteResult result;
                try
                {
                    result = await target.WriteAsync(remaining.Items, ct);
                }
                catch
                {
                    writeBudget.Reconcile(estimate, 0);
                    throw;
                }

                var done = remaining.Count - result.Unprocessed.Count;
                var actual = ActualCost(result, remaining, estimate);
                counters.AddWriteUnits(result.Consumed.Count > 0 ? result.Consumed.Sum(c => c.CapacityUnits ?? 0) : actual);
                writeBudget.Reconcile(estimate, actual);
                counters.AddWritten(done);
                if (result.Unprocessed.Count > 0)
                {
                    remaining = new WriteBatch(result.Unprocessed, result.Unprocessed.Select(ItemSize.Of).ToList());
                    throw new UnprocessedItemsException(result.Unprocessed.Count);
                }
            }, abort);
        }
        catch (Exception ex) when (ErrorClassifier.IsRetryable(ex, abort))
        {
            // Out of retries on a passing fault: the items are not written, and the summary says so.
            counters.AddFailed(remaining.Count);
            Log.WriteGaveUp(logger, remaining.Count, maxRetries, ErrorText.Describe(ex));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !abort.IsCancellationRequested)
        {
            throw new DdbCopyException(FailureKind.CopyFailed,
                $"Writing to destination table '{tableName}' failed: {ErrorText.Describe(ex)}", ex);
        }
    }

    /// <summary>What the request cost in budget units; a server that reports nothing is charged the estimate for what it processed.</summary>
    private double ActualCost(BatchWriteResult result, WriteBatch sent, double estimate)
    {
        if (result.Consumed.Count > 0)
        {
            return cost.Actual(result.Consumed);
        }

        return sent.Count == 0 ? 0 : estimate * (sent.Count - result.Unprocessed.Count) / sent.Count;
    }
}
