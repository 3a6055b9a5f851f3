namespace DdbCopy.TestSupport.Faults;

/// <summary>The proxy's model of a table's provisioned capacity: refills at the rate, holds one second.</summary>
internal sealed class ProxyTokenBucket(double unitsPerSecond)
{
    private readonly Lock _lock = new();
    private double _rate = unitsPerSecond;
    private double _tokens = unitsPerSecond;
    private long _last = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>Changes the rate (and the one second it holds) from now on.</summary>
    public void SetRate(double unitsPerSecond)
    {
        lock (_lock)
        {
            Refill();
            _rate = unitsPerSecond;
            _tokens = Math.Min(_tokens, _rate);
        }
    }

    /// <summary>Takes <paramref name="units"/> when they are there.</summary>
    public bool TryTake(double units)
    {
        lock (_lock)
        {
            Refill();
            if (_tokens + 1e-9 < units)
            {
                return false;
            }

            _tokens -= units;
            return true;
        }
    }

    /// <summary>True when the bucket is not in debt (reads are charged after the fact).</summary>
    public bool HasAny()
    {
        lock (_lock)
        {
            Refill();
            return _tokens > 0;
        }
    }

    public void Charge(double units)
    {
        lock (_lock)
        {
            Refill();
            _tokens -= units;
        }
    }

    private void Refill()
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        _tokens = Math.Min(_rate, _tokens + System.Diagnostics.Stopwatch.GetElapsedTime(_last, now).TotalSeconds * _rate);
        _last = now;
    }
}
