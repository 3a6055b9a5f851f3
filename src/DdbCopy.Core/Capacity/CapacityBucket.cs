namespace DdbCopy.Core.Capacity;

/// <summary>
/// A token bucket in capacity units, shared by every reader (or every writer) of a run. Callers pay the estimated
/// units before a request (<see cref="AcquireAsync"/>) and settle with what the service reports after it
/// (<see cref="Reconcile"/>): a lower actual cost is refunded, a higher one becomes a debt that the next request waits out.
/// </summary>
/// <remarks>
/// Written by hand rather than on System.Threading.RateLimiting: its TokenBucketRateLimiter reads the Stopwatch
/// directly (no <see cref="TimeProvider"/>, so it cannot be stepped in tests), counts whole permits only, and can
/// neither refund permits nor carry a debt. The bucket starts empty, so a run never spends more than rate x elapsed
/// time (no burst at start), and it holds at most one second of budget after an idle spell. Nothing is paid after
/// a request, so the last request is never followed by an idle wait.
/// </remarks>
public sealed class CapacityBucket : IDisposable
{
    private const double Epsilon = 1e-9;

    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _queue = new(1, 1);
    private readonly Lock _lock = new();
    private readonly double _capacity;
    private double _tokens;
    private double _spent;
    private long _lastRefill;

    public CapacityBucket(double unitsPerSecond, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(unitsPerSecond);
        ArgumentNullException.ThrowIfNull(timeProvider);
        UnitsPerSecond = unitsPerSecond;
        _time = timeProvider;
        _capacity = unitsPerSecond; // One second of budget.
        _lastRefill = timeProvider.GetTimestamp();
    }

    public double UnitsPerSecond { get; }

    /// <summary>Units paid so far (estimates, plus extra charges, less refunds).</summary>
    public double SpentUnits
    {
        get
        {
            lock (_lock)
            {
                return _spent;
            }
        }
    }

    /// <summary>Waits until <paramref name="units"/> are available (first come, first served) and takes them.</summary>
    /// <remarks>A request larger than one second of budget waits for a full bucket and leaves a debt behind it.</remarks>
    public async ValueTask AcquireAsync(double units, CancellationToken cancellationToken)
    {
        if (units <= 0)
        {
            return;
        }

        await _queue.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                TimeSpan wait;
                lock (_lock)
                {
                    Refill();
                    var needed = Math.Min(units, _capacity);
                    if (_tokens + Epsilon >= needed)
                    {
                        _tokens -= units;
                        _spent += units;
                        return;
                    }

                    wait = TimeSpan.FromSeconds((needed - _tokens) / UnitsPerSecond);
                }

                await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, _time, cancellationToken);
            }
        }
        finally
        {
            _queue.Release();
        }
    }

    /// <summary>Settles a request paid with <paramref name="estimatedUnits"/> that actually cost <paramref name="actualUnits"/>.</summary>
    public void Reconcile(double estimatedUnits, double actualUnits)
    {
        var difference = Math.Max(0, actualUnits) - Math.Max(0, estimatedUnits);
        lock (_lock)
        {
            Refill();
            // A refund never lifts the bucket above one second of budget, so it cannot become a burst.
            _tokens = Math.Min(_capacity, _tokens - difference);
            _spent += difference;
        }
    }

    public void Dispose() => _queue.Dispose();

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_lastRefill, now).TotalSeconds;
        _lastRefill = now;
        _tokens = Math.Min(_capacity, _tokens + elapsed * UnitsPerSecond);
    }
}
