using System.Diagnostics;
using System.Globalization;

namespace DdbCopy.Benchmarks;

/// <summary>
/// A write limit the fake enforces without announcing it, in items per second, changing on a schedule measured from the
/// first write: a token bucket holding at most <see cref="BurstSeconds"/> of the current limit. It is the bench's own
/// code, not ddbcopy's: it decides what is throttled, counts the calls, and times the last item it accepted.
/// </summary>
internal sealed class WriteLimit
{
    /// <summary>How much of a second's limit the bucket saves: a client that sends evenly at the limit is never refused.</summary>
    public const double BurstSeconds = 0.25;

    private readonly (double From, double ItemsPerSecond)[] _steps;
    private readonly Lock _lock = new();
    private long _started = -1;
    private long _last;
    private double _tokens;
    private long _lastAccepted;

    public WriteLimit(IEnumerable<(double From, double ItemsPerSecond)> steps)
    {
        _steps = [.. steps.OrderBy(s => s.From)];
        if (_steps.Length == 0 || _steps[0].From != 0)
        {
            throw new ArgumentException("The schedule starts at second 0.", nameof(steps));
        }
    }

    /// <summary>"800@0,400@8,1600@14": items per second from each second on.</summary>
    public static WriteLimit Parse(string schedule) => new(schedule.Split(',').Select(step =>
    {
        var parts = step.Split('@');
        return (double.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[0], CultureInfo.InvariantCulture));
    }));

    /// <summary>The best time for <paramref name="items"/> items under the schedule (each step's limit, all the time).</summary>
    public double IdealSeconds(long items)
    {
        double left = items;
        for (var i = 0; i < _steps.Length; i++)
        {
            var length = i + 1 < _steps.Length ? _steps[i + 1].From - _steps[i].From : double.PositiveInfinity;
            var here = _steps[i].ItemsPerSecond * length;
            if (here >= left)
            {
                return _steps[i].From + left / _steps[i].ItemsPerSecond;
            }

            left -= here;
        }

        return double.NaN;
    }

    public int Calls { get; private set; }

    /// <summary>Calls of which no item was accepted (answered ProvisionedThroughputExceededException).</summary>
    public int ThrottledCalls { get; private set; }

    /// <summary>Calls of which part was accepted (the rest answered as UnprocessedItems).</summary>
    public int PartialCalls { get; private set; }

    /// <summary>Seconds from the first write to the last item accepted.</summary>
    public double LastAcceptedSeconds => _lastAccepted / (double)Stopwatch.Frequency;

    /// <summary>How many of <paramref name="count"/> items the limit takes now.</summary>
    public int Take(int count)
    {
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            var limit = LimitAt(_started < 0 ? 0 : (now - _started) / (double)Stopwatch.Frequency);
            if (_started < 0)
            {
                (_started, _last, _tokens) = (now, now, limit * BurstSeconds); // a fresh table: the burst is there
            }

            _tokens = Math.Min(limit * BurstSeconds, _tokens + limit * (now - _last) / Stopwatch.Frequency);
            _last = now;
            var taken = (int)Math.Min(count, Math.Floor(_tokens));
            _tokens -= taken;
            Calls++;
            if (taken == 0)
            {
                ThrottledCalls++;
                if (Environment.GetEnvironmentVariable("BENCH_DEBUG") is not null)
                {
                    Console.Error.WriteLine($"full {((now - _started) / (double)Stopwatch.Frequency):0.000} size {count} tokens {_tokens:0.00}");
                }

                return 0;
            }

            PartialCalls += taken < count ? 1 : 0;
            _lastAccepted = now - _started;
            return taken;
        }
    }

    private double LimitAt(double seconds) => _steps.Last(s => s.From <= seconds).ItemsPerSecond;
}
