namespace DdbCopy.Core.Capacity;

/// <summary>
/// A token bucket in capacity units, shared by every reader (or every writer) of a run. Callers pay the estimated
/// units before a request (<see cref="AcquireAsync"/>) and settle with what the service reports after it
/// (<see cref="Reconcile"/>): a lower actual cost is refunded, a higher one becomes a debt that the next request waits out.
/// </summary>
/// <remarks>
/// Written by hand rather than on System.Threading.RateLimiting: its TokenBucketRateLimiter reads the Stopwatch
/// directly (no <see cref="TimeProvider"/>, so it cannot be stepped in tests), counts whole permits only, and can
/// neither refund permits nor carry a debt. The bucket starts empty and never saves more than
/// <see cref="IdleBurstSeconds"/> of budget beyond what the request at the head of the queue needs: while nobody waits
/// (before the first page is read, while the scan is slow) and while the process stalls (a pause of the whole
/// process), the budget not spent is lost rather than spent later in a burst. So no second of a run, its first
/// included, spends more than the rate plus that small fraction and one request; a waiter that wakes a little late
/// (timer slop) loses nothing. Nothing is paid after a request, so the last request is never followed by an idle wait.
/// </remarks>
public sealed class CapacityBucket : IDisposable
{
    private const double Epsilon = 1e-9;

    /// <summary>The most budget the bucket saves beyond the head request's need: 1% of a second.</summary>
    public const double IdleBurstSeconds = 0.01;

    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _queue = new(1, 1);
    private readonly Lock _lock = new();
    private double _capacity;
    private double _idleCapacity;
    private int _waiters;
    private double _headNeeds;
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
        _idleCapacity = unitsPerSecond * IdleBurstSeconds;
        _lastRefill = timeProvider.GetTimestamp();
    }

    public double UnitsPerSecond { get; private set; }

    /// <summary>Changes the rate from now on (an adaptive rate's step); what was refilled so far stays.</summary>
    public void SetRate(double unitsPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(unitsPerSecond);
        lock (_lock)
        {
            Refill();
            UnitsPerSecond = unitsPerSecond;
            _capacity = unitsPerSecond;
            _idleCapacity = unitsPerSecond * IdleBurstSeconds;
            _tokens = Math.Min(_tokens, _capacity);
        }
    }

    /// <summary>How many requests are waiting for budget now.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiters;
            }
        }
    }

    private long _answered;
    private long _refused;

    /// <summary>Requests paid through <see cref="PaidRequest"/> so far: answered or throttled, and of these, throttled whole or in part.</summary>
    public (long Requests, long Refused) Requests => (Interlocked.Read(ref _answered), Interlocked.Read(ref _refused));

    /// <summary>Counts a request that was answered, or throttled (<paramref name="refused"/>: throttled, whole or in part).</summary>
    internal void CountRequest(bool refused)
    {
        Interlocked.Increment(ref _answered);
        if (refused)
        {
            Interlocked.Increment(ref _refused);
        }
    }

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

        lock (_lock)
        {
            // The time nobody waited saves at most the idle burst.
            Refill();
            _waiters++;
        }

        try
        {
            await _queue.WaitAsync(cancellationToken);
            try
            {
                await TakeAsync(units, cancellationToken);
            }
            finally
            {
                _queue.Release();
            }
        }
        finally
        {
            lock (_lock)
            {
                // The last waiter leaves: from now on the bucket is idle. While others wait, the one that just took its
                // units still stands for the head, so the moment between two heads is not taken for idleness.
                if (--_waiters == 0)
                {
                    _headNeeds = 0;
                }
            }
        }
    }

    private async ValueTask TakeAsync(double units, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                var needed = Math.Min(units, _capacity);
                _headNeeds = needed;
                Refill();
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

    private readonly TaskCompletionSource _firstAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _firstEntered;

    /// <summary>
    /// Before paying for a request (<see cref="PaidRequest"/>): the bucket's first request goes alone, and the others
    /// wait until it has been answered or has failed. The first call of a process is slow once (code compiled, a
    /// connection opened, credentials resolved), and requests paid meanwhile would queue behind it and reach the server
    /// together, a burst above the rate; after the first answer they leave at the bucket's pace. Returns true for the
    /// first request, which must call <see cref="FirstSettled"/> however it ends.
    /// </summary>
    internal async ValueTask<bool> EnterAsync(CancellationToken cancellationToken)
    {
        if (_firstAnswered.Task.IsCompleted)
        {
            return false;
        }

        if (Interlocked.Exchange(ref _firstEntered, 1) == 0)
        {
            return true;
        }

        await _firstAnswered.Task.WaitAsync(cancellationToken);
        return false;
    }

    /// <summary>The first request (see <see cref="EnterAsync"/>) was answered or failed: the others may go.</summary>
    internal void FirstSettled() => _firstAnswered.TrySetResult();

    public void Dispose() => _queue.Dispose();

    /// <summary>
    /// Adds the budget earned since the last refill, up to what the head request needs plus the idle burst (never
    /// taking away what is there, such as a refund).
    /// </summary>
    private void Refill()
    {
        var limit = _headNeeds + _idleCapacity;
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_lastRefill, now).TotalSeconds;
        _lastRefill = now;
        if (_tokens < limit)
        {
            _tokens = Math.Min(limit, _tokens + elapsed * UnitsPerSecond);
        }
    }
}
