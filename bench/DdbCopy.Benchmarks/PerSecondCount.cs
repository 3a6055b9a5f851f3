using System.Diagnostics;

namespace DdbCopy.Benchmarks;

/// <summary>Counts in each second from the first count, and the time from the first count to the last.</summary>
internal sealed class PerSecondCount
{
    private readonly Lock _lock = new();
    private readonly List<long> _perSecond = [];
    private long _started = -1;
    private long _last;

    public void Add(long count)
    {
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            if (_started < 0)
            {
                _started = now;
            }

            var second = (int)((now - _started) / Stopwatch.Frequency);
            while (_perSecond.Count <= second)
            {
                _perSecond.Add(0);
            }

            _perSecond[second] += count;
            _last = now - _started;
        }
    }

    /// <summary>Seconds from the first count to the last.</summary>
    public double Seconds => _last / (double)Stopwatch.Frequency;

    /// <summary>The most counted in one second, the last (partial) second left out.</summary>
    public long BusiestSecond
    {
        get
        {
            lock (_lock)
            {
                return _perSecond.Count > 1 ? _perSecond.Take(_perSecond.Count - 1).Max() : _perSecond.DefaultIfEmpty(0).First();
            }
        }
    }
}
