using System.Threading.RateLimiting;

namespace DdbCopy.Core.Capacity;

/// <summary>
/// A token bucket in capacity units, shared by every reader (or every writer) of a run. Callers pay the
/// estimated units before a request and reconcile with what the service reports after it: a lower actual
/// cost is refunded, a higher one is paid before the caller's next request.
/// </summary>
/// <remarks>
/// Built on <see cref="TokenBucketRateLimiter"/> with manual replenishment driven by a <see cref="TimeProvider"/>
/// timer, so tests can step time. The limiter has whole permits and no way to give permits back, so one permit
/// is a tenth of a unit and refunds are kept here as credit that later acquisitions use first. The bucket starts
/// empty: a run never spends more than rate x elapsed time, so there is no burst at start, and nothing is paid
/// after the last request, so there is no idle tail.
/// </remarks>
public sealed class CapacityBucket : IDisposable
{
    private const double PermitsPerUnit = 10;
    private static readonly TimeSpan MinPeriod = TimeSpan.FromMilliseconds(50);

    private readonly TokenBucketRateLimiter _limiter;
    private readonly ITimer _timer;
    private readonly int _permitLimit;
    private readonly Lock _creditLock = new();
    private long _creditPermits;
    private long _spentPermits;

    public CapacityBucket(double unitsPerSecond, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(unitsPerSecond);
        ArgumentNullException.ThrowIfNull(timeProvider);
        UnitsPerSecond = unitsPerSecond;

        var permitsPerSecond = unitsPerSecond * PermitsPerUnit;
        // At least one permit per period; at most 20 periods a second.
        var period = TimeSpan.FromSeconds(Math.Max(MinPeriod.TotalSeconds, 1 / permitsPerSecond));
        var perPeriod = (int)Math.Max(1, Math.Round(permitsPerSecond * period.TotalSeconds));
        period = TimeSpan.FromSeconds(perPeriod / permitsPerSecond);
        _permitLimit = (int)Math.Clamp(Math.Ceiling(permitsPerSecond), perPeriod, int.MaxValue);

        _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = _permitLimit,
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = period,
            AutoReplenishment = false,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });

        // Start empty: the limiter begins full, so take that first second's worth away.
        using (_limiter.AttemptAcquire(_permitLimit))
        {
        }

        _timer = timeProvider.CreateTimer(_ => _limiter.TryReplenish(), null, period, period);
    }

    public double UnitsPerSecond { get; }

    /// <summary>Units paid so far (estimates plus extra charges, less refunds).</summary>
    public double SpentUnits => Interlocked.Read(ref _spentPermits) / PermitsPerUnit;

    /// <summary>Waits until <paramref name="units"/> are available and takes them.</summary>
    public async ValueTask AcquireAsync(double units, CancellationToken cancellationToken)
    {
        var permits = ToPermits(units);
        Interlocked.Add(ref _spentPermits, permits);
        permits -= TakeCredit(permits);

        // A request larger than one second of budget is paid in one-second slices; the average rate still holds.
        while (permits > 0)
        {
            var slice = (int)Math.Min(permits, _permitLimit);
            using var lease = await _limiter.AcquireAsync(slice, cancellationToken);
            if (!lease.IsAcquired)
            {
                throw new InvalidOperationException("The capacity limiter refused a request; its queue is unbounded, so this is a bug.");
            }

            permits -= slice;
        }
    }

    /// <summary>Settles a request paid with <paramref name="estimatedUnits"/> that actually cost <paramref name="actualUnits"/>.</summary>
    public ValueTask ReconcileAsync(double estimatedUnits, double actualUnits, CancellationToken cancellationToken)
    {
        var difference = ToPermits(actualUnits) - ToPermits(estimatedUnits);
        if (difference > 0)
        {
            return AcquireAsync(difference / PermitsPerUnit, cancellationToken);
        }

        if (difference < 0)
        {
            Interlocked.Add(ref _spentPermits, difference);
            lock (_creditLock)
            {
                // Refunds never build more than one second of budget, so they cannot become a burst.
                _creditPermits = Math.Min(_permitLimit, _creditPermits - difference);
            }
        }

        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        _timer.Dispose();
        _limiter.Dispose();
    }

    private static long ToPermits(double units) => (long)Math.Ceiling(Math.Max(0, units) * PermitsPerUnit - 1e-9);

    private long TakeCredit(long wanted)
    {
        lock (_creditLock)
        {
            var taken = Math.Min(wanted, _creditPermits);
            _creditPermits -= taken;
            return taken;
        }
    }
}
