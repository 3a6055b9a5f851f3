using DdbCopy.Core.Capacity;
using Microsoft.Extensions.Time.Testing;

namespace DdbCopy.Tests.Capacity;

public sealed class CapacityBucketTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Acquire_StartsEmpty_SoNothingIsSpentBeforeTimePasses()
    {
        using var bucket = new CapacityBucket(10, _time);

        var first = bucket.AcquireAsync(5, CancellationToken.None);
        Assert.False(first.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(400));
        Assert.False(first.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(100));
        await first.AsTask().WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Acquire_OverTime_NeverSpendsMoreThanTheRate()
    {
        using var bucket = new CapacityBucket(100, _time);
        var granted = 0;
        // Forty requests wait at once (as a run's writers do), so the bucket is never idle.
        var waiting = Enumerable.Range(0, 40).Select(_ => Task.Run(async () =>
        {
            await bucket.AcquireAsync(10, CancellationToken.None);
            Interlocked.Increment(ref granted);
        })).ToList();
        await WaitUntilAsync(() => bucket.Waiting == 40);

        // The clock moves in steps of 100 ms (one request's worth) until every request is granted. A step may grant
        // nothing (a waiter set its timer just after the clock moved), never more than the rate allows.
        var elapsedMs = 0;
        for (var step = 1; step <= 400 && Volatile.Read(ref granted) < 40; step++)
        {
            var before = Volatile.Read(ref granted);
            _time.Advance(TimeSpan.FromMilliseconds(100));
            elapsedMs += 100;
            await WaitUntilAsync(() => Volatile.Read(ref granted) > before, TimeSpan.FromMilliseconds(200), required: false);
            // After t seconds at 100 units/s at most 100 t units (10 per request) can have been granted.
            Assert.True(Volatile.Read(ref granted) * 10 <= elapsedMs / 10, $"granted {granted} after {elapsedMs} ms");
        }

        await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(400, bucket.SpentUnits);
    }

    [Fact]
    public async Task Acquire_AfterAnIdleSpell_HasSavedAtMostAHundredthOfASecond()
    {
        using var bucket = new CapacityBucket(100, _time);
        _time.Advance(TimeSpan.FromSeconds(30));

        // 30 idle seconds saved 1 unit (10 ms at 100 units/s), not 100: the first second is not a burst.
        await bucket.AcquireAsync(1, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        var next = bucket.AcquireAsync(1, CancellationToken.None);

        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(10));
        await next.AsTask().WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Acquire_WhenAWaiterWakesALittleLate_LosesNothing()
    {
        using var bucket = new CapacityBucket(100, _time);
        var first = bucket.AcquireAsync(50, CancellationToken.None);
        var second = bucket.AcquireAsync(50, CancellationToken.None);

        // The first waiter wakes 10 ms late: the unit earned meanwhile is kept for the second.
        _time.Advance(TimeSpan.FromMilliseconds(510));
        await first.AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        await WaitUntilAsync(() => bucket.Waiting == 1);
        _time.Advance(TimeSpan.FromMilliseconds(489));
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await second.AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(100, bucket.SpentUnits);
    }

    [Fact]
    public async Task Acquire_AfterTheProcessStalls_DoesNotCatchUpInABurst()
    {
        using var bucket = new CapacityBucket(100, _time);
        var first = bucket.AcquireAsync(50, CancellationToken.None);
        var second = bucket.AcquireAsync(50, CancellationToken.None);

        // A two-second stall: the budget it could have spent is lost, not spent at once afterwards.
        _time.Advance(TimeSpan.FromSeconds(2));
        await first.AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        await WaitUntilAsync(() => bucket.Waiting == 1);
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(480));
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(10));
        await second.AsTask().WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Reconcile_WhenTheRequestCostLess_RefundsTheDifference()
    {
        using var bucket = new CapacityBucket(10, _time);
        var first = bucket.AcquireAsync(10, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        await first.AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        bucket.Reconcile(10, 4);

        // The 6 units refunded pay for the next request at once.
        await bucket.AcquireAsync(6, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(10, bucket.SpentUnits, 6);
    }

    [Fact]
    public async Task Reconcile_WhenTheRequestCostMore_TheNextRequestWaitsOutTheDebt()
    {
        using var bucket = new CapacityBucket(10, _time);
        var first = bucket.AcquireAsync(5, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        await first.AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        bucket.Reconcile(5, 8);
        var next = bucket.AcquireAsync(1, CancellationToken.None);

        // 3 units of debt plus 1 unit: 0.4 s at 10 units/s.
        _time.Advance(TimeSpan.FromMilliseconds(390));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(10));
        await next.AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(9, bucket.SpentUnits, 6);
    }

    [Fact]
    public async Task Acquire_LargerThanOneSecondOfBudget_WaitsForAFullBucketAndLeavesADebt()
    {
        using var bucket = new CapacityBucket(10, _time);
        var big = bucket.AcquireAsync(25, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        await big.AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        var next = bucket.AcquireAsync(1, CancellationToken.None);

        // 15 units of debt plus 1 unit: 1.6 s more, so 25 units never cost less than 2.5 s of budget.
        _time.Advance(TimeSpan.FromMilliseconds(1590));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(10));
        await next.AsTask().WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Acquire_WhenCancelled_Throws()
    {
        using var bucket = new CapacityBucket(1, _time);
        using var cts = new CancellationTokenSource();
        var waiting = bucket.AcquireAsync(1, cts.Token).AsTask();

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PaidRequests_WaitForTheFirstOnesAnswer_SoASlowFirstCallDoesNotBunchThemUp(bool firstFails)
    {
        using var bucket = new CapacityBucket(100, _time);
        var firstAnswer = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sent = 0;
        Task<int> Send(Task<int> answer) => bucket.SendAsync(10, _ =>
        {
            Interlocked.Increment(ref sent);
            return answer;
        }, _ => (10.0, 0.0), null, CancellationToken.None);

        var first = Send(firstAnswer.Task);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await WaitUntilAsync(() => Volatile.Read(ref sent) == 1);
        var others = Enumerable.Range(0, 3).Select(_ => Send(Task.FromResult(2))).ToList();

        // The first call is slow (half a second): budget for five more requests has been earned meanwhile, yet none goes.
        for (var step = 0; step < 5; step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(20);
        }

        Assert.Equal(1, Volatile.Read(ref sent));
        if (firstFails)
        {
            firstAnswer.SetException(new IOException("connection reset"));
            await Assert.ThrowsAsync<IOException>(() => first);
        }
        else
        {
            firstAnswer.SetResult(1);
            Assert.Equal(1, await first);
        }

        // Then they leave at the bucket's pace (10 units at 100 units/s: one per 100 ms), not together: what was earned
        // while the first was out is not saved up.
        var elapsedMs = 0;
        for (var step = 0; step < 80 && Volatile.Read(ref sent) < 4; step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(25));
            elapsedMs += 25;
            await Task.Delay(10);
            Assert.True(Volatile.Read(ref sent) - 1 <= elapsedMs / 100 + 1, $"{sent} sent {elapsedMs} ms after the first answer");
        }

        var results = await Task.WhenAll(others).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(new[] { 2, 2, 2 }, results);
        Assert.True(elapsedMs >= 200, $"three requests of 10 units at 100 units/s went in {elapsedMs} ms");
    }

    /// <summary>Lets the waiters' continuations run (up to 10 s on a loaded machine) before the clock moves on.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? within = null, bool required = true)
    {
        var limit = within ?? TimeSpan.FromSeconds(10);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && watch.Elapsed < limit)
        {
            await Task.Yield();
            await Task.Delay(1);
        }

        Assert.True(condition() || !required, $"the condition did not hold within {limit.TotalSeconds} s");
    }
}
