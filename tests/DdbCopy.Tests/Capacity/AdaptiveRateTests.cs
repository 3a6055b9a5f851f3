using DdbCopy.Core.Capacity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DdbCopy.Tests.Capacity;

/// <summary>
/// The adaptive rate's steps on a fake clock: at what the server accepted (plus the margin) while it refuses some, at
/// once when most is refused, up fast while nothing is refused and the budget holds requests back, never above the
/// ceiling, and idle budgets left alone.
/// </summary>
public sealed class AdaptiveRateTests
{
    private readonly FakeTimeProvider _time = new();

    /// <summary>Spends the bucket's whole budget for an interval (so it counts as saturated): the server takes up to <paramref name="limit"/>/s.</summary>
    private void BusyInterval(CapacityBucket bucket, AdaptiveRate rate, double limit = double.PositiveInfinity)
    {
        var seconds = AdaptiveRate.Interval.TotalSeconds;
        var offered = bucket.UnitsPerSecond * seconds;
        var accepted = Math.Min(offered, limit * seconds);
        bucket.Reconcile(0, offered);
        rate.Observe(accepted, offered - accepted);
        _time.Advance(AdaptiveRate.Interval);
        rate.Adjust();
    }

    [Fact]
    public void WhileTheServerRefusesSome_TheRateIsWhatItAccepted_PlusTheMargin()
    {
        using var bucket = new CapacityBucket(2000, _time);
        using var rate = new AdaptiveRate(bucket, 40_000, "write", "WCU", _time, NullLogger.Instance);

        BusyInterval(bucket, rate, limit: 800);

        Assert.Equal(800 * (1 + AdaptiveRate.Margin), bucket.UnitsPerSecond, 6);
        Assert.Equal(800, rate.LimitFound!.Value, 6);
        for (var i = 0; i < 20; i++)
        {
            BusyInterval(bucket, rate, limit: 800); // held there: the server always has a little more than it takes
        }

        Assert.Equal(800 * (1 + AdaptiveRate.Margin), bucket.UnitsPerSecond, 6);
    }

    [Fact]
    public void AFallingLimit_IsFollowedInOneInterval()
    {
        using var bucket = new CapacityBucket(840, _time);
        using var rate = new AdaptiveRate(bucket, 40_000, "write", "WCU", _time, NullLogger.Instance);

        BusyInterval(bucket, rate, limit: 400);

        Assert.Equal(400 * (1 + AdaptiveRate.Margin), bucket.UnitsPerSecond, 6);
    }

    [Fact]
    public void ARisingLimit_IsFoundWithinTwoSeconds_ThenHeld()
    {
        using var bucket = new CapacityBucket(420, _time);
        using var rate = new AdaptiveRate(bucket, 40_000, "write", "WCU", _time, NullLogger.Instance);

        var intervals = 0;
        while (bucket.UnitsPerSecond < 1600 && intervals < 20)
        {
            BusyInterval(bucket, rate, limit: 1600);
            intervals++;
        }

        Assert.InRange(intervals, 1, 8); // after two quiet intervals a quarter more each: 420 -> 1602 in seven (under two seconds)
        var found = bucket.UnitsPerSecond;
        BusyInterval(bucket, rate, limit: 1600);
        Assert.Equal(Math.Min(found, 1600 * (1 + AdaptiveRate.Margin)), bucket.UnitsPerSecond, 6); // never raised while refused
    }

    [Fact]
    public void WhenMostIsRefused_TheRateStepsDownBeforeTheIntervalEnds()
    {
        using var bucket = new CapacityBucket(2000, _time);
        using var rate = new AdaptiveRate(bucket, 40_000, "write", "WCU", _time, NullLogger.Instance);

        _time.Advance(AdaptiveRate.Interval / 2);
        rate.Observe(50, 40); // less than half refused: wait for the interval's end
        Assert.Equal(2000, bucket.UnitsPerSecond);
        rate.Observe(0, 25); // now most: step at once, at what was accepted over the half interval
        Assert.Equal(50 / AdaptiveRate.Interval.TotalSeconds * 2 * (1 + AdaptiveRate.Margin), bucket.UnitsPerSecond, 6);
    }

    [Fact]
    public void EverythingRefused_CutsTheRateByAQuarter()
    {
        using var bucket = new CapacityBucket(1000, _time);
        using var rate = new AdaptiveRate(bucket, 40_000, "write", "WCU", _time, NullLogger.Instance);

        rate.Observe(0, 25);
        _time.Advance(AdaptiveRate.Interval);
        rate.Adjust();

        Assert.Equal(750, bucket.UnitsPerSecond, 6);
    }

    [Fact]
    public void NothingRefused_RaisesTheRate_UpToTheCeiling_NeverAbove()
    {
        using var bucket = new CapacityBucket(1000, _time);
        using var rate = new AdaptiveRate(bucket, 2_000, "write", "WCU", _time, NullLogger.Instance);

        for (var i = 0; i < 10; i++)
        {
            BusyInterval(bucket, rate);
        }

        Assert.Equal(2_000, bucket.UnitsPerSecond);
        Assert.Equal(2_000, rate.Peak);
        Assert.InRange(rate.Mean, 1000, 2_000);
        Assert.Null(rate.LimitFound);
    }

    [Fact]
    public void ALimitAboveTheCeiling_NeverTakesTheRateOverIt()
    {
        using var bucket = new CapacityBucket(1000, _time);
        using var rate = new AdaptiveRate(bucket, 1_000, "write", "WCU", _time, NullLogger.Instance);

        BusyInterval(bucket, rate, limit: 999.9); // the server took a hair less: margin above it, capped at the ceiling

        Assert.Equal(1_000, bucket.UnitsPerSecond);
    }

    [Fact]
    public void AnIdleBudget_IsNotRaised()
    {
        using var bucket = new CapacityBucket(1000, _time);
        using var rate = new AdaptiveRate(bucket, 40_000, "read", "RCU", _time, NullLogger.Instance);

        for (var i = 0; i < 20; i++)
        {
            _time.Advance(AdaptiveRate.Interval);
            rate.Adjust();
        }

        Assert.Equal(1000, bucket.UnitsPerSecond);
    }
}
