using System.Diagnostics;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;
using DdbCopy.TestSupport.Faults;
using Xunit.Abstractions;

namespace DdbCopy.IntegrationTests.Capacity;

/// <summary>
/// The adaptive write rate against a limit the tool is not told: the fault proxy in front of DynamoDB Local enforces
/// a write capacity on an on-demand destination (and changes it mid-copy), counting with its own code what it
/// accepted and which requests it throttled.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class AdaptiveRateTests(DynamoDbFixture db, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);
    private FaultProxy? _proxy;

    private FaultProxy Proxy => _proxy!;

    public async Task InitializeAsync() => _proxy = await FaultProxy.StartAsync(db.Endpoint);

    public async Task DisposeAsync()
    {
        await _proxy!.DisposeAsync();
        await _tables.DisposeAsync();
    }

    private Task<ProcessResult> CopyAsync(string source, string destination, Func<Process, Task>? whileRunning = null) =>
        DdbCopyCli.RunAsync(TimeSpan.FromMinutes(3),
            ["--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", Proxy.Url, "--destinationTable", destination,
             "--output", "json", "--progressIntervalSeconds", "5"],
            whileRunning);

    [Fact]
    public async Task Copy_IntoAnOnDemandTableWithAnUnknownLimit_FindsItLosesNothingAndRarelyThrottles()
    {
        var source = await db.SharedSourceAsync();
        var destination = await _tables.CreateAsync("adaptive-dst", readUnits: null, writeUnits: null);
        Proxy.Options.WriteCapacity[destination] = 800;

        var result = await CopyAsync(source, destination);

        output.WriteLine(Proxy.ToString());
        foreach (var line in result.ErrorLines.Where(l => l.Line.Contains("Adaptive write rate", StringComparison.Ordinal)))
        {
            output.WriteLine($"{line.At.TotalSeconds:0.0} s: {line.Line}");
        }
        Assert.True(result.ExitCode == 0, result.ToString());
        var (units, span) = Proxy.Writes();
        var ideal = units / 800;
        output.WriteLine($"{units} WCU written in {span.TotalSeconds:0.0} s; at the limit it takes {ideal:0.0} s");
        // The README: 24 s where the limit allows 25 s, and up to 25% more: a pause of the shared DynamoDB Local throttles a
        // burst of requests at once, and the rate, cut to 30%, climbs back in about 10 s (28.8 s measured once in CI).
        Assert.InRange(span.TotalSeconds, ideal * 0.9, ideal * 1.25);
        // A throttled request as DynamoDB counts it (ThrottledRequests): one of which nothing could be written. The items
        // refused in requests that wrote the rest (WriteThrottleEvents) are counted too.
        var requests = Proxy.Stats["BatchWriteItem"];
        var throttled = (double)Proxy.Stats["throttled:BatchWriteItem"] / requests;
        var refusedItems = (double)Proxy.Stats["capacity:BatchWriteItem"] / (units + Proxy.Stats["capacity:BatchWriteItem"]);
        output.WriteLine($"{throttled:P1} of {requests} requests throttled; {refusedItems:P1} of the items sent refused (and sent again)");
        // The README's figures (docs/copy-and-capacity.md): 0.0% of the requests throttled as a whole, and 5.3-5.4% of the
        // items sent refused and sent again at once: the rate sits a little above what the table takes, so that a change
        // of the limit shows at once (a refused item costs nothing). Before issue 21: 2-3% and 6-8%.
        Assert.True(throttled < 0.02, $"{throttled:P1} of the requests were throttled");
        Assert.True(refusedItems < 0.10, $"{refusedItems:P1} of the items sent were refused");
        var summary = DdbCopyCli.Summary(result);
        Assert.Equal(DynamoDbFixture.SharedItemCount, summary.GetProperty("written").GetInt64());
        // The summary's mean rate is what was offered: what the proxy took, plus the 3% above it the rate sits at, plus the
        // start (the budget, 2,000 WCU/s, for the second before the first refusal): 1.05-1.17 times what the proxy saw.
        Assert.InRange(summary.GetProperty("writeRateMean").GetDouble(), units / span.TotalSeconds * 0.95, units / span.TotalSeconds * 1.25);
        Assert.Contains("Adaptive write rate: lowered from", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(DynamoDbFixture.SharedItemCount, await Tables.CountAsync(db.Client, destination));
    }

    [Fact]
    public async Task Copy_WhenTheLimitIsHalvedThenDoubledMidCopy_FollowsItWithinSeconds()
    {
        var source = await db.SharedSourceAsync();
        var destination = await _tables.CreateAsync("adaptive-change-dst", readUnits: null, writeUnits: null);
        Proxy.Options.WriteCapacity[destination] = 800;
        long halved = 0, doubled = 0;

        var result = await CopyAsync(source, destination, async _ =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            Proxy.Options.WriteCapacity[destination] = 400;
            halved = Stopwatch.GetTimestamp();
            await Task.Delay(TimeSpan.FromSeconds(6));
            Proxy.Options.WriteCapacity[destination] = 800;
            doubled = Stopwatch.GetTimestamp();
        });

        foreach (var line in result.ErrorLines.Where(l => l.Line.Contains("Adaptive write rate", StringComparison.Ordinal)))
        {
            output.WriteLine($"{line.At.TotalSeconds:0.0} s: {line.Line}");
        }

        output.WriteLine(Proxy.ToString());
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(DynamoDbFixture.SharedItemCount, await Tables.CountAsync(db.Client, destination));
        long At(long from, double seconds) => from + (long)(seconds * Stopwatch.Frequency);
        double Rate(long from, double start, double end) => Proxy.WriteUnitsBetween(At(from, start), At(from, end)) / (end - start);

        // Halved: from 2 s on, writes go at about the new limit (at most 400 WCU/s and the proxy's one-second burst
        // of 400 over these 4 s: 500).
        var afterHalving = Rate(halved, 2, 6);
        // Doubled: the first second in which the writes are back near the old limit (3/4 of it) comes within 10 s (1 s
        // measured; 5 and 6 s before issue 21).
        var back = Enumerable.Range(0, 30).Select(s => (double?)s).FirstOrDefault(s => Rate(doubled, s!.Value, s.Value + 1) >= 600);
        output.WriteLine($"after halving: {afterHalving:0} WCU/s; back at 600 WCU/s {back} s after doubling");
        Assert.InRange(afterHalving, 320, 500);
        Assert.NotNull(back);
        Assert.InRange(back!.Value, 0, 10);
    }

    [Fact]
    public async Task Import_IntoAnOnDemandTable_AdaptsToo_AndRateFixedKeepsTheBudget()
    {
        var file = Path.Combine(Path.GetTempPath(), $"ddbcopy-adaptive-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(file, ItemFactory.Many(3_000, 500).Select(item =>
            System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["Item"] = item.ToDictionary(a => a.Key, a => (object)(a.Value.N is not null ? new { N = a.Value.N } : new { S = a.Value.S })),
            })));
        var adaptive = await _tables.CreateAsync("adaptive-import", readUnits: null, writeUnits: null);
        var fixedRate = await _tables.CreateAsync("fixed-import", readUnits: null, writeUnits: null);
        Proxy.Options.WriteCapacity[adaptive] = 500;
        try
        {
            var imported = await DdbCopyCli.RunAsync("import", "--from", file, "--destinationEndpoint", Proxy.Url, "--destinationTable", adaptive,
                "--output", "json", "--checkpointFile", file + ".a.checkpoint.json");
            var kept = await DdbCopyCli.RunAsync("import", "--from", file, "--destinationEndpoint", db.Endpoint, "--destinationTable", fixedRate,
                "--rate", "fixed", "--writeCapacityUnits", "3000", "--output", "json", "--checkpointFile", file + ".f.checkpoint.json");

            Assert.True(imported.ExitCode == 0, imported.ToString());
            Assert.Contains("Adaptive write rate: lowered from", imported.StandardError, StringComparison.Ordinal);
            // Measured by the proxy: the writes came at about the limit it enforced (the README's figure).
            var (units, span) = Proxy.Writes();
            output.WriteLine($"import: {units} WCU in {span.TotalSeconds:0.0} s: {units / span.TotalSeconds:0} WCU/s against a limit of 500");
            Assert.InRange(units / span.TotalSeconds, 500 * 0.8, 500 + (500 / span.TotalSeconds)); // the proxy's bucket holds one second
            Assert.Equal(3_000, await Tables.CountAsync(db.Client, adaptive));
            Assert.True(kept.ExitCode == 0, kept.ToString());
            Assert.DoesNotContain("Adaptive", kept.StandardError, StringComparison.Ordinal);
            Assert.Equal(System.Text.Json.JsonValueKind.Null, DdbCopyCli.Summary(kept).GetProperty("writeRateMean").ValueKind);
        }
        finally
        {
            foreach (var path in new[] { file, file + ".a.checkpoint.json", file + ".f.checkpoint.json" })
            {
                File.Delete(path);
            }
        }
    }

    [Fact]
    public async Task Copy_FromASourceWithAnUnknownReadLimit_AdaptsItsReadRate()
    {
        var source = await _tables.CreateAsync("adaptive-read-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(3_000, 1_000));
        var destination = await _tables.CreateAsync("adaptive-read-dst", writeUnits: 10_000);
        Proxy.Options.ReadCapacity[source] = 60;

        var result = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(3),
            ["--sourceEndpoint", Proxy.Url, "--sourceTable", source, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
             "--rate", "adaptive", "--output", "json"]);

        output.WriteLine(Proxy.ToString());
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Adaptive read rate: lowered from", result.StandardError, StringComparison.Ordinal);
        var summary = DdbCopyCli.Summary(result);
        var (units, span) = Proxy.Reads();
        output.WriteLine($"read {units} RCU in {span.TotalSeconds:0.0} s: {units / span.TotalSeconds:0.0} RCU/s against a limit of 60");
        // At most the limit and the proxy's one-second burst; at least 60% of the limit: 65-70 RCU/s measured on a quiet
        // machine (the burst included), 42 with one of its two cores kept busy by another process.
        Assert.InRange(units / span.TotalSeconds, 60 * 0.6, 60 + (60 / span.TotalSeconds)); // the proxy's bucket holds one second
        Assert.Equal(3_000, summary.GetProperty("written").GetInt64());
        Assert.Equal(3_000, await Tables.CountAsync(db.Client, destination));
    }
}
