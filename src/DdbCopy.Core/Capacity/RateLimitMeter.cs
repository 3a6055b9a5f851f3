using System.Globalization;

namespace DdbCopy.Core.Capacity;

/// <summary>What held a write rate back.</summary>
public enum RateLimit
{
    /// <summary>The budget was spent: the rate is what was asked for (or what the adaptive rate allows).</summary>
    Budget,

    /// <summary>The table refused part of the writes.</summary>
    Throttling,

    /// <summary>Every write allowed in flight was in flight: the round trip times their number bounds the rate.</summary>
    InFlight,

    /// <summary>The process used (nearly) every core.</summary>
    Cpu,

    /// <summary>None of these: the writers waited for items (the source's reads, their budget or round trip).</summary>
    Source,
}

/// <summary>One stretch's answer: what limited the rate, in words (one clause) and as a key.</summary>
public sealed record RateLimitReading(RateLimit By, string Text)
{
    /// <summary>The key of a cause in JSON output and logs.</summary>
    public static string Key(RateLimit by) => by switch
    {
        RateLimit.InFlight => "inFlight",
        _ => by.ToString().ToLowerInvariant(),
    };
}

/// <summary>
/// Tells, for each stretch between two readings, what held the writes of a table sink back, in this order: throttling
/// when the table refused at least 1% of the requests; the budget when 85% of it was spent; the CPU when the process
/// used 85% of the cores; the writes in flight when the gate was 85% full; else the source (the writers waited for
/// items). Keeps the time each cause held the rate back, for the summary.
/// </summary>
public sealed class RateLimitMeter
{
    /// <summary>The share of the budget, the cores or the places in flight that counts as full.</summary>
    public const double Full = 0.85;

    /// <summary>The share of requests throttled that makes throttling the cause.</summary>
    public const double ThrottledShare = 0.01;

    private readonly InFlightSizer _sizer;
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan> _cpuTime;
    private readonly int _cores;
    private readonly Lock _lock = new();
    private readonly double[] _seconds = new double[Enum.GetValues<RateLimit>().Length];
    private Mark _last;

    /// <param name="cpuTime">The process's CPU time so far (tests give their own).</param>
    public RateLimitMeter(InFlightSizer sizer, TimeProvider timeProvider, Func<TimeSpan>? cpuTime = null, int? cores = null)
    {
        ArgumentNullException.ThrowIfNull(sizer);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _sizer = sizer;
        _time = timeProvider;
        _cpuTime = cpuTime ?? (() => Environment.CpuUsage.TotalTime);
        _cores = Math.Max(1, cores ?? Environment.ProcessorCount);
        _last = Take();
    }

    /// <summary>What limited the rate since the last reading; null when no time passed.</summary>
    public RateLimitReading? Read()
    {
        lock (_lock)
        {
            var now = Take();
            var was = _last;
            var seconds = _time.GetElapsedTime(was.At, now.At).TotalSeconds;
            if (seconds <= 0)
            {
                return null;
            }

            _last = now;
            var reading = Judge(was, now, seconds);
            _seconds[(int)reading.By] += seconds;
            return reading;
        }
    }

    /// <summary>The share of the time each cause held the rate back, largest first; empty before any reading.</summary>
    public IReadOnlyList<(RateLimit By, double Share)> Shares()
    {
        lock (_lock)
        {
            var total = _seconds.Sum();
            return total <= 0 ? [] : Enum.GetValues<RateLimit>().Select(b => (b, _seconds[(int)b] / total)).Where(s => s.Item2 > 0)
                .OrderByDescending(s => s.Item2).ToList();
        }
    }

    private RateLimitReading Judge(Mark was, Mark now, double seconds)
    {
        var requests = now.Requests - was.Requests;
        var throttled = now.Throttled - was.Throttled;
        if (throttled > 0 && throttled >= ThrottledShare * Math.Max(1, requests))
        {
            return new(RateLimit.Throttling, Invariant($"throttling ({throttled} of {requests} requests)"));
        }

        var rate = _sizer.Budget.UnitsPerSecond;
        if (now.Spent - was.Spent >= Full * rate * seconds)
        {
            return new(RateLimit.Budget, Invariant($"the budget ({rate:0.#} WCU/s)"));
        }

        var cpu = (now.Cpu - was.Cpu).TotalSeconds / seconds;
        if (cpu >= Full * _cores)
        {
            return new(RateLimit.Cpu, Invariant($"CPU ({100 * cpu:0}% of {_cores} cores)"));
        }

        var places = now.Places - was.Places;
        if (places > 0 && (now.Held - was.Held) / places >= Full)
        {
            var cap = _sizer.AtCap ? Invariant($", at the cap of {_sizer.Cap} (--maxWriteThreads)") : "";
            var limit = _sizer.Gate.Limit;
            return new(RateLimit.InFlight,
                Invariant($"{limit} write{(limit == 1 ? "" : "s")} in flight x {_sizer.RoundTrip.TotalMilliseconds:0} ms round trip{cap}"));
        }

        return new(RateLimit.Source, "the source's reads");
    }

    private Mark Take()
    {
        var (held, places) = _sizer.Gate.Use;
        var (requests, refused) = _sizer.Budget.Requests;
        return new(_time.GetTimestamp(), _sizer.Budget.SpentUnits, requests, refused, _cpuTime(), held, places);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private readonly record struct Mark(long At, double Spent, long Requests, long Throttled, TimeSpan Cpu, double Held, double Places);
}
