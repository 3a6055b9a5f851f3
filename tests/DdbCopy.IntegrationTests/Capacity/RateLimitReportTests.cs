using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;
using DdbCopy.TestSupport.Faults;
using Xunit.Abstractions;

namespace DdbCopy.IntegrationTests.Capacity;

/// <summary>
/// The progress line and the summary say what limited the write rate, through the real CLI: four copies each held back
/// by one thing the test sets up from outside (the write budget, the read budget, one write in flight behind a slow
/// proxy, a limit the proxy enforces below the budget).
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class RateLimitReportTests(DynamoDbFixture db, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Items = 2_000;
    private readonly TableSet _tables = new(db.Client);
    private FaultProxy? _proxy;

    public async Task InitializeAsync() => _proxy = await FaultProxy.StartAsync(db.Endpoint);

    public async Task DisposeAsync()
    {
        await _proxy!.DisposeAsync();
        await _tables.DisposeAsync();
    }

    /// <summary>Copies <see cref="Items"/> items of 1 KB, the destination through the proxy; returns the summary's dominant cause, its share and the progress lines.</summary>
    private Task<(string By, double Share, List<string> Progress)> CopyAsync(string name, params string[] flags) => CopyAsync(name, _ => { }, flags);

    private async Task<(string By, double Share, List<string> Progress)> CopyAsync(string name, Action<string> withDestination, params string[] flags)
    {
        var source = await _tables.CreateAsync(name + "-src", readUnits: 10_000, writeUnits: 10_000);
        var destination = await _tables.CreateAsync(name + "-dst", writeUnits: 10_000);
        withDestination(destination);
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(Items));
        var result = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(2),
            ["--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", _proxy!.Url, "--destinationTable", destination,
             "--output", "json", "--progressIntervalSeconds", "1", .. flags]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = DdbCopyCli.Summary(result);
        Assert.Equal(Items, summary.GetProperty("written").GetInt64());
        var shares = summary.GetProperty("limitedByShares").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        var by = summary.GetProperty("limitedBy").GetString()!;
        var progress = result.ErrorLines.Select(l => l.Line).Where(l => l.StartsWith("progress: ", StringComparison.Ordinal)).ToList();
        output.WriteLine($"{result.Elapsed.TotalSeconds:0.0} s, limited by {by}: {string.Join(", ", shares.Select(s => $"{s.Key} {s.Value:0.00}"))}; {_proxy}");
        progress.ForEach(output.WriteLine);
        Assert.Equal(1, shares.Values.Sum(), 2);
        Assert.Equal(shares.MaxBy(s => s.Value).Key, by);
        return (by, shares[by], progress);
    }

    [Fact]
    public async Task ACopyAtItsWriteBudget_IsLimitedByTheBudget()
    {
        var (by, share, progress) = await CopyAsync("limit-budget", "--writeCapacityUnits", "500");

        Assert.Equal("budget", by);
        Assert.InRange(share, 0.6, 1);
        Assert.Contains(progress, l => l.EndsWith(", limited by the budget (500 WCU/s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACopyReadingSlowerThanItMayWrite_IsLimitedByTheSourcesReads()
    {
        // 2 MB at 0.5 RCU per 4 KB is 250 RCU: five seconds at 50 RCU/s, where 10,000 WCU/s would write it in a fraction of one.
        var (by, share, progress) = await CopyAsync("limit-source", "--readCapacityUnits", "50", "--writeCapacityUnits", "10000");

        Assert.Equal("source", by);
        Assert.InRange(share, 0.6, 1);
        Assert.Contains(progress, l => l.EndsWith(", limited by the source's reads", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACopyWithOneWriteInFlightBehindASlowProxy_IsLimitedByTheWritesInFlight()
    {
        _proxy!.Options.Latency = TimeSpan.FromMilliseconds(50); // one batch of 25 per 50 ms: about 450 items/s of 10,000 allowed

        var (by, share, progress) = await CopyAsync("limit-inflight", "--maxWriteThreads", "1", "--writeCapacityUnits", "10000");

        Assert.Equal("inFlight", by);
        Assert.InRange(share, 0.6, 1);
        Assert.Contains(progress, l => l.Contains(", limited by 1 write in flight x ", StringComparison.Ordinal)
            && l.EndsWith("ms round trip, at the cap of 1 (--maxWriteThreads)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACopyWhoseTableTakesLessThanItsBudget_IsLimitedByThrottling()
    {
        // A fixed budget of 2,000 WCU into a table the proxy lets take 400 WCU/s.
        var (by, share, progress) = await CopyAsync("limit-throttled", destination => _proxy!.Options.WriteCapacity[destination] = 400,
            "--writeCapacityUnits", "2000", "--rate", "fixed");

        Assert.Equal("throttling", by);
        Assert.InRange(share, 0.6, 1);
        Assert.Contains(progress, l => l.Contains(", limited by throttling (", StringComparison.Ordinal));
    }
}
