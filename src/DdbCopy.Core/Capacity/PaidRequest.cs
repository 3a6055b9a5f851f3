using DdbCopy.Core.Aws;

namespace DdbCopy.Core.Capacity;

/// <summary>
/// Paying a budget around one request, the same way for every request that costs capacity (a scan page, a batch of
/// writes, one change): the estimate is paid before it is sent; a request that fails is refunded (and a throttle is
/// told to the adaptive rate); one that is answered is settled with what the answer says it cost, and the adaptive rate
/// is told that cost and whether the request was (partly) throttled.
/// </summary>
public static class PaidRequest
{
    /// <param name="settle">What the answer cost, and whether it was partly throttled (UnprocessedItems).</param>
    public static async Task<T> SendAsync<T>(this CapacityBucket budget, double estimate, Func<CancellationToken, Task<T>> request,
        Func<T, (double Actual, bool Throttled)> settle, IRateFeedback? feedback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settle);
        await budget.AcquireAsync(estimate, cancellationToken);
        T answer;
        try
        {
            answer = await request(cancellationToken);
        }
        catch (Exception ex)
        {
            budget.Reconcile(estimate, 0);
            if (ErrorClassifier.Classify(ex) == ErrorClass.Throttled)
            {
                feedback?.Observe(throttled: true, 0);
            }

            throw;
        }

        var (actual, throttled) = settle(answer);
        budget.Reconcile(estimate, actual);
        feedback?.Observe(throttled, actual);
        return answer;
    }
}
