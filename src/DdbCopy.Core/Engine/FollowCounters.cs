namespace DdbCopy.Core.Engine;

/// <summary>What following a stream came to, counted as it goes (thread-safe).</summary>
public sealed class FollowCounters
{
    private long _applied;
    private long _skipped;
    private long _deadLettered;
    private long _lastCreatedMs = long.MinValue;
    private double _writeUnits;
    private long _throttled;
    private long _retries;

    public FollowCounters(long applied = 0, long skipped = 0, long deadLettered = 0)
    {
        _applied = applied;
        _skipped = skipped;
        _deadLettered = deadLettered;
    }

    /// <summary>Changes written to the destination (puts and deletes).</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Changes not written because the destination held a newer version (two-way: echoes and lost conflicts).</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Changes given up after every retry, or refused, and recorded in the dead-letter file.</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    public long ThrottledRequests => Interlocked.Read(ref _throttled);

    public long Retries => Interlocked.Read(ref _retries);

    public double ConsumedWriteUnits
    {
        get
        {
            lock (this)
            {
                return _writeUnits;
            }
        }
    }

    /// <summary>When the newest applied change was made at the source (null before the first).</summary>
    public DateTimeOffset? LastApplied
    {
        get
        {
            var ms = Interlocked.Read(ref _lastCreatedMs);
            return ms == long.MinValue ? null : DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }
    }

    public void AddApplied(bool written, DateTimeOffset created)
    {
        Interlocked.Increment(ref written ? ref _applied : ref _skipped);
        Seen(created);
    }

    public void AddDeadLettered(DateTimeOffset created)
    {
        Interlocked.Increment(ref _deadLettered);
        Seen(created);
    }

    public void AddWriteUnits(double units)
    {
        lock (this)
        {
            _writeUnits += units;
        }
    }

    public void AddRetry(bool throttled)
    {
        Interlocked.Increment(ref _retries);
        if (throttled)
        {
            Interlocked.Increment(ref _throttled);
        }
    }

    private void Seen(DateTimeOffset created)
    {
        var ms = created.ToUnixTimeMilliseconds();
        var seen = Interlocked.Read(ref _lastCreatedMs);
        while (ms > seen)
        {
            var was = Interlocked.CompareExchange(ref _lastCreatedMs, ms, seen);
            if (was == seen)
            {
                return;
            }

            seen = was;
        }
    }
}
