using System.Globalization;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Capacity;

/// <summary>What a rate controller is told after each request: whether it was throttled, and what it was charged.</summary>
public interface IRateFeedback
{
    void Observe(bool throttled, double units);
}

/// <summary>
/// Finds a rate the server takes when its limit is unknown (an on-demand table, a hot partition), AIMD-style: every
/// half second, if any request of that half second was throttled, the rate drops multiplicatively (by 15 to 50%, to
/// just under what the server accepted meanwhile; the throttled rate is the limit found); otherwise, while the budget
/// is what holds the requests back, it rises: fast while well under the limit found, slowly for a few seconds after a
/// drop (so the limit is touched rarely: few requests are throttled), then faster and faster while nothing is
/// throttled (a limit that was raised is found in seconds). Never above the ceiling (--writeCapacityUnits / --readCapacityUnits when given).
/// The bucket it steers is the one the requests pay into. The shape follows CUBIC's, which TCP and the AWS SDKs'
/// adaptive retry mode use; written by hand, as no package steers a token bucket this way.
/// </summary>
public sealed class AdaptiveRate : IRateFeedback, IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private const double SlowGrowth = 0.005; // of the rate per interval, near the limit found
    private const double FastGrowth = 0.05;
    private const int CreepIntervals = 8;

    private readonly CapacityBucket _bucket;
    private readonly double _ceiling;
    private readonly double _floor;
    private readonly string _what;
    private readonly string _unit;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private readonly long _started;
    private int _requests;
    private int _throttled;
    private double _accepted;
    private double _lastSpent;
    private double _limitFound = double.PositiveInfinity;
    private double _growth = SlowGrowth;
    private long _lastDropAt;
    private int _sinceDrop;
    private double _loggedRate;
    private long _loggedAt;
    private double _weightedSum;
    private long _lastTick;

    public AdaptiveRate(CapacityBucket bucket, double ceiling, string what, string unit, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _bucket = bucket;
        _ceiling = ceiling;
        _floor = Math.Max(0.5, Math.Min(1, bucket.UnitsPerSecond));
        _what = what;
        _unit = unit;
        _time = timeProvider;
        _logger = logger;
        _started = _lastTick = _loggedAt = timeProvider.GetTimestamp();
        _lastDropAt = _started - (long)(Interval.TotalSeconds * timeProvider.TimestampFrequency);
        Peak = _loggedRate = bucket.UnitsPerSecond;
        Telemetry.Instruments.AdaptiveRate.Record(bucket.UnitsPerSecond, new KeyValuePair<string, object?>("side", what));
        _timer = timeProvider.CreateTimer(_ => Adjust(), null, Interval, Interval);
    }

    /// <summary>The highest rate set.</summary>
    public double Peak { get; private set; }

    /// <summary>The rate over the run so far, weighted by how long each rate was set.</summary>
    public double Mean
    {
        get
        {
            lock (_lock)
            {
                var now = _time.GetTimestamp();
                var total = _time.GetElapsedTime(_started, now).TotalSeconds;
                var sum = _weightedSum + _bucket.UnitsPerSecond * _time.GetElapsedTime(_lastTick, now).TotalSeconds;
                return total > 0 ? sum / total : _bucket.UnitsPerSecond;
            }
        }
    }

    public void Observe(bool throttled, double units)
    {
        lock (_lock)
        {
            _requests++;
            _accepted += Math.Max(0, units);
            if (throttled)
            {
                _throttled++;
                var now = _time.GetTimestamp();
                if (_time.GetElapsedTime(_lastDropAt, now) >= Interval)
                {
                    // React at the first throttle, not at the end of the half second: what is in flight is throttled
                    // already, but nothing more is sent at the rate that was too high.
                    Drop(now);
                }
            }
        }
    }

    /// <summary>Lowers the rate after a throttle (at most once per interval). Called with the lock held.</summary>
    private void Drop(long now)
    {
        var seconds = Math.Max(0.05, _time.GetElapsedTime(_lastTick, now).TotalSeconds);
        var rate = _bucket.UnitsPerSecond;

        // Just under what the server took meanwhile (it takes less than its limit while throttled requests back off),
        // by at least 15%, and at most half (70% when most requests were throttled). The rate that was throttled is
        // remembered as the limit found: it lies between the two.
        var share = _requests > 0 ? (double)_throttled / _requests : 1;
        _limitFound = rate;
        var most = share > 0.5 ? 0.3 : 0.5;
        var next = Math.Max(_floor, Math.Clamp(0.95 * _accepted / seconds, most * rate, 0.85 * rate));
        SetRate(next);
        _growth = SlowGrowth;
        _sinceDrop = 0;
        _lastDropAt = now;
        Log.RateChanged(_logger, _what, Invariant($"lowered from {rate:0.#} to {next:0.#} {_unit}/s (throttled)"));
        (_loggedRate, _loggedAt) = (next, now);
    }

    /// <summary>One step of the controller (every <see cref="Interval"/>).</summary>
    public void Adjust()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            var seconds = Math.Max(1e-3, _time.GetElapsedTime(_lastTick, now).TotalSeconds);
            var rate = _bucket.UnitsPerSecond;
            _weightedSum += rate * seconds;
            _lastTick = now;
            var spent = _bucket.SpentUnits;
            var saturated = spent - _lastSpent >= 0.8 * rate * seconds || _bucket.Waiting > 0;
            _lastSpent = spent;
            var throttled = _throttled;
            (_requests, _throttled, _accepted) = (0, 0, 0);
            if (throttled > 0)
            {
                return; // the rate was lowered at the throttle
            }

            if (!saturated || rate >= _ceiling)
            {
                return;
            }

            _sinceDrop++;
            var step = rate < 0.9 * _limitFound ? FastGrowth // well under the limit found: back up quickly
                : _sinceDrop <= CreepIntervals ? SlowGrowth // near it, right after it was found: creep
                : _growth = Math.Min(FastGrowth, _growth * 1.5); // nothing throttled for a while: the limit may have risen, so probe faster and faster
            var raised = Math.Min(_ceiling, rate + Math.Max(0.1, rate * step));
            SetRate(raised);
            Peak = Math.Max(Peak, raised);
            if (raised >= _loggedRate * 1.25 || (raised > _loggedRate && _time.GetElapsedTime(_loggedAt, now) >= TimeSpan.FromSeconds(10)))
            {
                Log.RateChanged(_logger, _what, Invariant($"raised from {_loggedRate:0.#} to {raised:0.#} {_unit}/s (nothing throttled)"));
                (_loggedRate, _loggedAt) = (raised, now);
            }
        }
    }

    public void Dispose() => _timer.Dispose();

    /// <summary>Steers the bucket to <paramref name="rate"/>, and says so on the rate's gauge.</summary>
    private void SetRate(double rate)
    {
        _bucket.SetRate(rate);
        Telemetry.Instruments.AdaptiveRate.Record(rate, new KeyValuePair<string, object?>("side", _what));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
