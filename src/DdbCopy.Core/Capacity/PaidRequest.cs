using DdbCopy.Core.Aws;

namespace DdbCopy.Core.Capacity;

/// <summary>
/// Paying a budget around one request, the same way for every request that costs capacity (a scan page, a batch of
/// writes, one change): the estimate is paid before it is sent; a request that fails is refunded (and a throttle is
/// told to the adaptive rate); one that is answered is settled with what the answer says it cost, and the adaptive rate
/// is told that cost and what of the request the server refused (UnprocessedItems). When the rate adapts, what the
/// server refused stays paid: an adaptive rate is what is offered to the server, refused or not, and a refund would let
/// the next request go before the server has refilled what it refused (so it would be throttled as a whole).
/// </summary>
public static class PaidRequest
{
    /// <param name="settle">What the answer cost, and the units of the estimate it refused (UnprocessedItems; 0 when none).</param>
    public static async Task<T> SendAsync<T>(this CapacityBucket budget, double estimate, Func<CancellationToken, Task<T>> request,
        Func<T, (double Actual, double Refused)> settle, IRateFeedback? feedback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settle);
        var first = await budget.EnterAsync(cancellationToken);
        try
        {
            return await SendPaidAsync(budget, estimate, request, settle, feedback, cancellationToken);
        }
        finally
        {
            if (first)
            {
                budget.FirstSettled();
            }
        }
    }

    private static async Task<T> SendPaidAsync<T>(CapacityBucket budget, double estimate, Func<CancellationToken, Task<T>> request,
        Func<T, (double Actual, double Refused)> settle, IRateFeedback? feedback, CancellationToken cancellationToken)
    {
        await budget.AcquireAsync(estimate, cancellationToken);
        T answer;
        try
        {
            answer = await request(cancellationToken);
        }
        catch (Exception ex)
        {
            var throttled = ErrorClassifier.Classify(ex) == ErrorClass.Throttled;
            budget.Reconcile(estimate, throttled && feedback is not null ? estimate : 0);
            if (throttled)
            {
                budget.CountRequest(refused: true);
                feedback?.Observe(0, estimate);
            }

            throw;
        }

        var (actual, refused) = settle(answer);
        budget.Reconcile(estimate, feedback is null ? actual : actual + refused);
        budget.CountRequest(refused > 0);
        feedback?.Observe(actual, refused);
        return answer;
    }
}
