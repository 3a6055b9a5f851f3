using DdbCopy.Core.Capacity;
using Microsoft.Extensions.Time.Testing;

namespace DdbCopy.Tests.Capacity;

/// <summary>How many batches are in flight: Little's law from the budget and the measured round trip, within a floor and a cap; the gate it steers.</summary>
public sealed class InFlightSizerTests
{
    private readonly FakeTimeProvider _time = new();

    [Theory]
    [InlineData(20_000, 40, 66)] // 800 batches/s x 40 ms = 32, twice that and 2
    [InlineData(40_000, 20, 66)] // 1,600 batches/s x 20 ms = 32
    [InlineData(1_000, 40, 6)] // 40 batches/s x 40 ms = 1.6: 4 and 2
    [InlineData(100_000, 40, 256)] // capped
    [InlineData(50, 40, 4)] // the floor
    public void InFlight_IsTheRequestRateTimesTheRoundTrip_Twice_PlusTwo_WithinTheFloorAndTheCap(double budget, int roundTripMs, int expected)
    {
        using var bucket = new CapacityBucket(budget, _time);
        var sizer = new InFlightSizer(bucket, floor: 4, cap: 256, unitsPerRequest: 25);

        for (var i = 0; i < 300; i++) // the round trip is smoothed: many answers make it the one measured
        {
            sizer.Observe(TimeSpan.FromMilliseconds(roundTripMs), 25);
        }

        Assert.Equal(expected, sizer.Gate.Limit);
        Assert.Equal(roundTripMs, sizer.RoundTrip.TotalMilliseconds, 1);
    }

    [Fact]
    public void BeforeAnyAnswer_ASlowRoundTripIsAssumed_AndTheSizeFollowsTheRateAsItChanges()
    {
        using var bucket = new CapacityBucket(20_000, _time);
        var sizer = new InFlightSizer(bucket, floor: 4, cap: 256, unitsPerRequest: 25);
        Assert.Equal(82, sizer.Gate.Limit); // 800/s x 50 ms x 2 + 2

        bucket.SetRate(5_000); // an adaptive rate found a lower limit
        sizer.Observe(InFlightSizer.AssumedRoundTrip, 25);
        Assert.Equal(22, sizer.Gate.Limit);
        Assert.False(sizer.AtCap);
    }

    [Fact]
    public void ScanPages_AreSizedFromThePagesOfUse_WhenTheReadBudgetAllowsMore()
    {
        // 10,000 RCU allow 625 pages of 16 RCU a second; a copy's writes take 16 pages a second: 16 x 100 ms x 2 + 2 = 6.
        using var bucket = new CapacityBucket(10_000, _time);
        var sizer = new InFlightSizer(bucket, floor: 2, cap: 64, unitsPerRequest: 16, _time, usefulPerSecond: 16);
        for (var i = 0; i < 300; i++)
        {
            sizer.Observe(TimeSpan.FromMilliseconds(100), 16);
        }

        Assert.Equal(6, sizer.Gate.Limit);
        Assert.False(sizer.AtCap);
    }

    [Fact]
    public void AtCap_SaysWhenTheCapNotTheBudgetBoundsTheRate()
    {
        using var bucket = new CapacityBucket(20_000, _time);
        var sizer = new InFlightSizer(bucket, floor: 4, cap: 16, unitsPerRequest: 25);

        sizer.Observe(TimeSpan.FromMilliseconds(40), 25);

        Assert.Equal(16, sizer.Gate.Limit);
        Assert.True(sizer.AtCap);
    }
}

/// <summary>The gate whose limit changes while it is held.</summary>
public sealed class ConcurrencyGateTests
{
    [Fact]
    public async Task AtMostTheLimitHoldIt_FirstComeFirstServed_AndARaisedLimitLetsWaitersInAtOnce()
    {
        var gate = new ConcurrencyGate(2);
        var first = await gate.EnterAsync(CancellationToken.None);
        var second = await gate.EnterAsync(CancellationToken.None);
        var third = gate.EnterAsync(CancellationToken.None).AsTask();
        var fourth = gate.EnterAsync(CancellationToken.None).AsTask();
        Assert.False(third.IsCompleted);
        Assert.Equal(2, gate.InUse);

        gate.SetLimit(3);
        (await third).Dispose();
        Assert.False(fourth.IsCompleted); // the third left again: room for one more, so the fourth is in
        await fourth;
        Assert.Equal(3, gate.InUse);
        first.Dispose();
        second.Dispose();
        Assert.Equal(1, gate.InUse);
    }

    [Fact]
    public async Task ALoweredLimit_TakesEffectAsHoldersLeave_AndACancelledWaiterIsSkipped()
    {
        var gate = new ConcurrencyGate(2);
        var first = await gate.EnterAsync(CancellationToken.None);
        var second = await gate.EnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = gate.EnterAsync(cancel.Token).AsTask();
        var waiting = gate.EnterAsync(CancellationToken.None).AsTask();

        gate.SetLimit(1);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        first.Dispose();
        Assert.False(waiting.IsCompleted); // one still holds it, and the limit is one
        second.Dispose();
        (await waiting).Dispose();
        Assert.Equal(0, gate.InUse);
    }
}
