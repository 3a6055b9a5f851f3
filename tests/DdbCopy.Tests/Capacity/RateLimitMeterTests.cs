using DdbCopy.Core.Capacity;
using Microsoft.Extensions.Time.Testing;

namespace DdbCopy.Tests.Capacity;

/// <summary>What held the write rate back over each stretch, and over the run: throttling, the budget, the CPU, the writes in flight, the source.</summary>
public sealed class RateLimitMeterTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly CapacityBucket _budget;
    private readonly InFlightSizer _sizer;
    private readonly RateLimitMeter _meter;
    private TimeSpan _cpu;

    public RateLimitMeterTests()
    {
        _budget = new CapacityBucket(1_000, _time);
        _sizer = new InFlightSizer(_budget, floor: 4, cap: 8, unitsPerRequest: 25, _time);
        _meter = new RateLimitMeter(_sizer, _time, () => _cpu, cores: 2);
    }

    public void Dispose() => _budget.Dispose();

    /// <summary>One second in which <paramref name="spent"/> units are paid, <paramref name="requests"/> answered (<paramref name="refused"/> of them throttled) and the CPU used <paramref name="cpuSeconds"/>.</summary>
    private RateLimitReading Second(double spent = 0, int requests = 0, int refused = 0, double cpuSeconds = 0.2)
    {
        _budget.Reconcile(0, spent);
        for (var i = 0; i < requests; i++)
        {
            _budget.CountRequest(i < refused);
        }

        _cpu += TimeSpan.FromSeconds(cpuSeconds);
        _time.Advance(TimeSpan.FromSeconds(1));
        return _meter.Read()!;
    }

    [Fact]
    public void TheBudgetSpent_IsTheBudget()
    {
        var reading = Second(spent: 900, requests: 36);
        Assert.Equal(RateLimit.Budget, reading.By);
        Assert.Equal("the budget (1000 WCU/s)", reading.Text);
        Assert.Equal(RateLimit.Source, Second(spent: 800, requests: 32).By); // 80%: not spent
    }

    [Fact]
    public void OneRequestInAHundredThrottled_IsThrottling_BeforeTheBudget()
    {
        Assert.Equal(RateLimit.Throttling, Second(spent: 1_000, requests: 100, refused: 1).By);
        Assert.Equal(RateLimit.Budget, Second(spent: 1_000, requests: 201, refused: 2).By); // under 1%
        Assert.Contains("3 of 40 requests", Second(spent: 500, requests: 40, refused: 3).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void BusyCores_AreTheCpu_WhenTheBudgetIsNotSpent()
    {
        var reading = Second(spent: 300, requests: 12, cpuSeconds: 1.8);
        Assert.Equal(RateLimit.Cpu, reading.By);
        Assert.Equal("CPU (180% of 2 cores)", reading.Text);
    }

    [Fact]
    public async Task AFullGate_IsTheWritesInFlight_AndSaysWhenItsCapBoundsThem()
    {
        for (var i = 0; i < 100; i++)
        {
            _sizer.Observe(TimeSpan.FromMilliseconds(200), 25); // 40 batches/s x 200 ms x 2 + 2: 18, capped at 8
        }

        var places = new List<ConcurrencyGate.Place>();
        for (var i = 0; i < _sizer.Gate.Limit; i++)
        {
            places.Add(await _sizer.Gate.EnterAsync(CancellationToken.None));
        }

        var reading = Second(spent: 400, requests: 16);
        places.ForEach(p => p.Dispose());

        Assert.Equal(RateLimit.InFlight, reading.By);
        Assert.StartsWith("8 writes in flight x ", reading.Text, StringComparison.Ordinal);
        Assert.EndsWith("at the cap of 8 (--maxWriteThreads)", reading.Text, StringComparison.Ordinal);
        Assert.Equal(RateLimit.Source, Second(spent: 400, requests: 16).By); // the gate empty again: the writers wait for items
    }

    [Fact]
    public void Shares_AreTheTimeEachCauseHeldTheRateBack_LargestFirst()
    {
        Assert.Empty(_meter.Shares());
        Second(spent: 1_000);
        Second(spent: 1_000);
        Second(spent: 1_000);
        Second();

        var shares = _meter.Shares();

        Assert.Equal([(RateLimit.Budget, 0.75), (RateLimit.Source, 0.25)], shares);
        Assert.Null(_meter.Read()); // no time passed
    }
}
