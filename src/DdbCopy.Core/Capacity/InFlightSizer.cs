namespace DdbCopy.Core.Capacity;

/// <summary>
/// Sizes how many requests are in flight at once from the budget and the measured round trip (Little's law: requests
/// in flight = requests per second x seconds per request), with room for the round trip's spread, between a floor and
/// a cap (--maxWriteThreads, or what the memory bound allows). Told each request's round trip and cost; steers a
/// <see cref="ConcurrencyGate"/>. Before the first answer it assumes <see cref="AssumedRoundTrip"/>.
/// </summary>
public sealed class InFlightSizer
{
    /// <summary>The round trip assumed before any is measured: a slow one, so a copy does not start short of writers.</summary>
    public static readonly TimeSpan AssumedRoundTrip = TimeSpan.FromMilliseconds(50);

    /// <summary>In flight beyond what the mean round trip needs: twice, and two more.</summary>
    private const double Headroom = 2;
    private const int Spare = 2;
    private const double Smoothing = 0.1;

    private readonly CapacityBucket _budget;
    private readonly ConcurrencyGate _gate;
    private readonly int _floor;
    private readonly int _cap;
    private readonly Lock _lock = new();
    private double _roundTripSeconds = AssumedRoundTrip.TotalSeconds;
    private readonly double _usefulPerSecond;
    private double _unitsPerRequest;

    /// <param name="unitsPerRequest">What a request is expected to cost before any is measured (a full batch).</param>
    /// <param name="usefulPerSecond">The most requests a second that are of use whatever the budget allows (a copy's scan
    /// pages: what its writes take); null: what the budget allows.</param>
    public InFlightSizer(CapacityBucket budget, int floor, int cap, double unitsPerRequest, TimeProvider? timeProvider = null,
        double? usefulPerSecond = null)
    {
        ArgumentNullException.ThrowIfNull(budget);
        _budget = budget;
        _usefulPerSecond = usefulPerSecond ?? double.PositiveInfinity;
        _cap = Math.Max(1, cap);
        _floor = Math.Clamp(floor, 1, _cap);
        _unitsPerRequest = Math.Max(0.5, unitsPerRequest);
        _gate = new ConcurrencyGate(Target(), timeProvider);
    }

    public ConcurrencyGate Gate => _gate;

    /// <summary>The budget the requests pay.</summary>
    public CapacityBucket Budget => _budget;

    /// <summary>The most requests in flight it allows.</summary>
    public int Cap => _cap;

    /// <summary>The smoothed round trip.</summary>
    public TimeSpan RoundTrip
    {
        get
        {
            lock (_lock)
            {
                return TimeSpan.FromSeconds(_roundTripSeconds);
            }
        }
    }

    /// <summary>True when the cap, not the budget, bounds what is in flight: the round trip x the cap is what limits the rate.</summary>
    public bool AtCap => _gate.Limit >= _cap && Needed() > _cap;

    /// <summary>One request's round trip (sent to answered, without the wait for budget) and what it cost.</summary>
    public void Observe(TimeSpan roundTrip, double units)
    {
        lock (_lock)
        {
            _roundTripSeconds += Smoothing * (roundTrip.TotalSeconds - _roundTripSeconds);
            _unitsPerRequest += Smoothing * (Math.Max(0.5, units) - _unitsPerRequest);
        }

        _gate.SetLimit(Target());
    }

    /// <summary>In flight for the current rate and round trip, before the floor and the cap.</summary>
    private double Needed()
    {
        lock (_lock)
        {
            var requestsPerSecond = Math.Min(_usefulPerSecond, _budget.UnitsPerSecond / _unitsPerRequest);
            return Math.Ceiling(Math.Round(requestsPerSecond * _roundTripSeconds * Headroom, 3)) + Spare;
        }
    }

    private int Target() => (int)Math.Clamp(Needed(), _floor, _cap);
}
