using DdbCopy.Core.Capacity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DdbCopy.Tests.Capacity;

/// <summary>The adaptive rate's steps on a fake clock: down at a throttle, up while the budget holds requests back, never above the ceiling.</summary>
public sealed class AdaptiveRateTests
{
    private readonly FakeTimeProvider _time = new();

    /// <summary>Spends the bucket's whole budget for an interval (so it counts as saturated), then steps the controller.</summary>
    private void BusyInterval(CapacityBucket bucket, AdaptiveRate rate, bool throttled = false)
    {
        var units = bucket.UnitsPerSecond * AdaptiveRate.Interval.TotalSeconds;
        bucket.Reconcile(0, units);
        rate.Observe(throttled, units);
        _time.Advance(AdaptiveRate.Interval);
        rate.Adjust();
    }

    [Fact]
    public void Throttle_LowersTheRateAtOnce_ByAtLeastFifteenPercent_AndAtMostHalf()
    {
        using var bucket = new CapacityBucket(1000, _time);
        using var rate = new AdaptiveRate(bucket, 40_000, "write", "WCU", _time, NullLogger.Instance);

        _time.Advance(TimeSpan.FromMilliseconds(250));
        rate.Observe(throttled: false, 200);
        rate.Observe(throttled: true, 0);

        Assert.InRange(bucket.UnitsPerSecond, 500, 850);
        var after = bucket.UnitsPerSecond;
        rate.Observe(throttled: true, 0); // the same wave: no second drop within the interval
        Assert.Equal(after, bucket.UnitsPerSecond);
    }

    [Fact]
    public void NothingThrottled_RaisesTheRate_SlowlyRightAfterADrop_ThenFasterAndFaster_UpToTheCeiling()
    {
        using var bucket = new CapacityBucket(1000, _time);
        using var rate = new AdaptiveRate(bucket, 2_000, "write", "WCU", _time, NullLogger.Instance);
        BusyInterval(bucket, rate, throttled: true);
        var dropped = bucket.UnitsPerSecond;

        var afterCreep = 0.0;
        for (var i = 0; i < 60; i++)
        {
            BusyInterval(bucket, rate);
            if (i == 9)
            {
                afterCreep = bucket.UnitsPerSecond;
            }
        }

        Assert.True(dropped < 1000);
        Assert.InRange(afterCreep, dropped, dropped * 1.2); // a few percent in five seconds
        Assert.Equal(2_000, bucket.UnitsPerSecond); // then up to the ceiling, never above
        Assert.Equal(2_000, rate.Peak);
        Assert.InRange(rate.Mean, dropped, 2_000);
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
