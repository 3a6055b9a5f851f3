using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Items;
using Microsoft.Extensions.Logging;
using Polly;

namespace DdbCopy.Core.Sinks.Changes;

/// <summary>
/// Writes one change (a put of its new image, or a delete of its keys) the way every write is made: it pays the write
/// budget first (<see cref="PaidRequest"/>), is retried on throttling and passing faults, and is recorded in the
/// dead-letter file when it is refused or out of retries. Used by the stream follower's lanes and by a database
/// follow's deletes of soft-deleted rows.
/// </summary>
public sealed class ChangeWriter(
    IChangeTarget target,
    CapacityBucket budget,
    WriteCostModel cost,
    ResiliencePipeline retry,
    int maxRetries,
    DeadLetterFile deadLetters,
    FollowCounters counters,
    ILogger logger,
    IRateFeedback? feedback = null)
{
    public async Task ApplyAsync(ChangeRecord change, CancellationToken abort)
    {
        ArgumentNullException.ThrowIfNull(change);
        var item = change.IsRemove ? change.Keys : change.NewImage ?? change.Keys;
        var estimate = cost.Estimate([item], [ItemSize.Of(item)]);
        double Actual(ChangeWriteResult written) => written.Consumed.Count > 0 ? cost.Actual(written.Consumed) : estimate;
        try
        {
            var result = await retry.ExecuteAsync(async ct =>
            {
                ChangeWriteResult written;
                try
                {
                    written = await budget.SendAsync(estimate, c => target.ApplyAsync(change, c), w => (Actual(w), 0.0), feedback, ct);
                }
                catch (Exception ex) when (ErrorClassifier.IsRetryable(ex, ct))
                {
                    counters.AddRetry(ErrorClassifier.Classify(ex) == ErrorClass.Throttled);
                    throw;
                }

                counters.AddWriteUnits(written.Consumed.Count > 0 ? written.Consumed.Sum(c => c.CapacityUnits ?? 0) : Actual(written));
                return written;
            }, abort);
            counters.AddApplied(result.Applied, change.Created);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ErrorClassifier.IsItemRefusal(ex) || ErrorClassifier.IsRetryable(ex, abort))
        {
            // Refused, or out of retries on a passing fault: recorded, so the difference is known and can be applied later.
            var reason = ErrorText.Describe(ex);
            Log.ChangeGaveUp(logger, ChangeRecord.KeyText(change.Keys), maxRetries, reason);
            if (change.IsRemove)
            {
                await deadLetters.WriteDeleteAsync(change.Keys, reason);
            }
            else
            {
                await deadLetters.WriteRefusedAsync(item, reason);
            }

            counters.AddDeadLettered(change.Created);
        }
        catch (Exception ex) when (ex is not DdbCopyException)
        {
            throw new DdbCopyException(FailureKind.CopyFailed, $"Applying a change to the destination failed: {ErrorText.Describe(ex)}", ex);
        }
    }
}
