using System.Globalization;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Capacity;

/// <summary>What a rate controller is told after each request: the units the server took and the units it refused.</summary>
public interface IRateFeedback
{
    /// <param name="acceptedUnits">What the answer says the request cost (0 for a request throttled as a whole).</param>
    /// <param name="refusedUnits">What the server refused: the UnprocessedItems' share of the estimate, or the whole estimate of a throttled request.</param>
    void Observe(double acceptedUnits, double refusedUnits);
}

/// <summary>
/// Finds a rate the server takes when its limit is unknown (an on-demand table, a hot partition) and follows it both
/// ways within a second or two. Every <see cref="Interval"/>: when the server refused anything, what it accepted in
/// that interval is its limit now, and the rate is set just above it (<see cref="Margin"/>), so the server always has a
/// little more than it takes (a refused item costs nothing and goes out again at once within the rate) and a fall of
/// the limit shows at once in what it accepts; when most of what went out was refused, that step comes at once rather
/// than at the interval's end. When it refused nothing for two intervals while the budget held the requests back, the
/// limit may have risen: the rate grows by a quarter every interval until the server refuses again (2.4 times a second:
/// from a half to a doubled limit in about two seconds, overshooting by at most a quarter). Never above the ceiling
/// (--writeCapacityUnits / --readCapacityUnits when given, or a provisioned table's budget).
/// </summary>
/// <remarks>
/// Written by hand, as no package steers a token bucket this way. The AWS SDKs' adaptive retry mode (a cubic curve from
/// the rate at the last throttle, as TCP CUBIC) counts only requests throttled as a whole, so it keeps sending far more
/// than the limit and lets the server refuse the rest; this controller uses what the server accepted, which DynamoDB
/// reports with every answer, and keeps the refused share small. Measured side by side: bench/README.md.
/// </remarks>
public sealed class AdaptiveRate : IRateFeedback, IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>How far above the accepted rate the rate is set while the server refuses some of it.</summary>
    public const double Margin = 0.03;

    private const double Growth = 1.25;
    private const int CleanIntervalsToGrow = 2;
    private const int RecentIntervals = 4;
    private const double ThrottleCut = 0.75;

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
    private double _accepted;
    private double _refused;
    private double _lastSpent;
    private int _cleanIntervals;
    private readonly Queue<(double Accepted, double Seconds)> _recent = new();
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
        Peak = _loggedRate = bucket.UnitsPerSecond;
        Telemetry.Instruments.AdaptiveRate.Record(bucket.UnitsPerSecond, new KeyValuePair<string, object?>("side", what));
        _timer = timeProvider.CreateTimer(_ => Adjust(), null, Interval, Interval);
    }

    /// <summary>The highest rate set.</summary>
    public double Peak { get; private set; }

    /// <summary>The rate the server last showed it takes (units per second), or null while it has refused nothing.</summary>
    public double? LimitFound { get; private set; }

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

    public void Observe(double acceptedUnits, double refusedUnits)
    {
        lock (_lock)
        {
            _accepted += Math.Max(0, acceptedUnits);
            _refused += Math.Max(0, refusedUnits);
            if (_refused > _accepted && _time.GetElapsedTime(_lastTick, _time.GetTimestamp()) >= Interval / 4)
            {
                // Most of what went out since the last step was refused (a probe went far past a limit, or the limit
                // fell): step now rather than at the interval's end.
                Step();
            }
        }
    }

    /// <summary>One step of the controller (every <see cref="Interval"/>).</summary>
    public void Adjust()
    {
        lock (_lock)
        {
            Step();
        }
    }

    /// <summary>Called with the lock held.</summary>
    private void Step()
    {
        var now = _time.GetTimestamp();
        var seconds = Math.Max(1e-3, _time.GetElapsedTime(_lastTick, now).TotalSeconds);
        var rate = _bucket.UnitsPerSecond;
        _weightedSum += rate * seconds;
        _lastTick = now;
        var spent = _bucket.SpentUnits;
        // The budget is what holds the requests back only when most of it was spent: a copy that cannot send that fast
        // (its round trips, its source) must not raise a rate it does not reach.
        var saturated = spent - _lastSpent >= 0.7 * rate * seconds;
        _lastSpent = spent;
        var (accepted, refused) = (_accepted, _refused);
        (_accepted, _refused) = (0, 0);
        if (refused > 0)
        {
            // The server refused some: what it accepted is its limit now; offer a little more than that, never more
            // than now (what a server takes right after a lull includes its burst, more than it will go on taking).
            _cleanIntervals = 0;
            var limit = AcceptedRate(accepted, refused, seconds);
            LimitFound = limit;
            var next = limit > 0 ? Math.Min(rate, limit * (1 + Margin)) : rate * ThrottleCut;
            Set(Math.Clamp(next, _floor, _ceiling), now, Invariant($"the table took {limit:0.#} {_unit}/s"));
            return;
        }

        if (!saturated || rate >= _ceiling)
        {
            return;
        }

        if (++_cleanIntervals < CleanIntervalsToGrow)
        {
            return; // one quiet interval since the last refusal may be chance (a burst the server had saved); two are not
        }

        // Nothing refused while the budget held the requests back: the limit may have risen. Probe up, fast.
        _recent.Clear(); // what it took below its limit says nothing of the limit
        var raised = Math.Min(_ceiling, rate * Growth);
        Set(raised, now, "nothing throttled");
    }

    /// <summary>
    /// What the server takes: over the last second while it refuses a little (one interval is noisy: a server that paused
    /// or saved a burst takes more or less in it), over this interval alone when it refused a quarter or more (its limit
    /// fell, or a probe went well past it). Called with the lock held.
    /// </summary>
    private double AcceptedRate(double accepted, double refused, double seconds)
    {
        _recent.Enqueue((accepted, seconds));
        while (_recent.Count > RecentIntervals)
        {
            _recent.Dequeue();
        }

        if (refused >= 0.25 * (accepted + refused))
        {
            _recent.Clear();
            _recent.Enqueue((accepted, seconds));
            return accepted / seconds;
        }

        return _recent.Sum(r => r.Accepted) / _recent.Sum(r => r.Seconds);
    }

    public void Dispose() => _timer.Dispose();

    /// <summary>Steers the bucket to <paramref name="rate"/>, says so on the rate's gauge, and logs a change of a quarter or more. Called with the lock held.</summary>
    private void Set(double rate, long now, string why)
    {
        _bucket.SetRate(rate);
        Peak = Math.Max(Peak, rate);
        Telemetry.Instruments.AdaptiveRate.Record(rate, new KeyValuePair<string, object?>("side", _what));
        var change = rate / _loggedRate;
        if (change is >= 1.25 or <= 0.8 || (change != 1 && _time.GetElapsedTime(_loggedAt, now) >= TimeSpan.FromSeconds(10)))
        {
            var direction = rate < _loggedRate ? "lowered" : "raised";
            Log.RateChanged(_logger, _what, Invariant($"{direction} from {_loggedRate:0.#} to {rate:0.#} {_unit}/s ({why})"));
            (_loggedRate, _loggedAt) = (rate, now);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
