using System.Diagnostics;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;
using DdbCopy.TestSupport.Faults;
using Xunit.Abstractions;

namespace DdbCopy.IntegrationTests.Copying;

[Collection(DynamoDbCollection.Name)]
public sealed class CopyModesTests(DynamoDbFixture db, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);

    [Fact]
    public async Task Copy_InThreeSections_ThreeProcessesTogetherCopyEverythingAndAllExit()
    {
        var source = await db.SharedSourceAsync();
        var destination = await _tables.CreateAsync("sections-dst", readUnits: 10_000, writeUnits: 10_000);

        var runs = Enumerable.Range(0, 3).Select(section => DdbCopyCli.RunAsync(
            "--sourceEndpoint", db.Endpoint, "--sourceTable", source,
            "--destination-endpoint", db.Endpoint, "--destination-table", destination,
            "--total-sections", "3", "--section", section.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--writeThroughputRatio", "1", "--output", "json")).ToList();
        var results = await Task.WhenAll(runs);

        foreach (var result in results)
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("divided by 3 sections", result.StandardError, StringComparison.Ordinal);
        }

        var written = results.Sum(r => DdbCopyCli.Summary(r).GetProperty("written").GetInt32());
        Assert.Equal(DynamoDbFixture.SharedItemCount, written);
        Assert.All(results, r => Assert.InRange(DdbCopyCli.Summary(r).GetProperty("written").GetInt32(), 1, DynamoDbFixture.SharedItemCount - 1));
        Assert.Equal(DynamoDbFixture.SharedItemCount, await Tables.CountAsync(db.Client, destination));
    }

    [Fact]
    public async Task Copy_BetweenOnDemandTables_UsesTheDocumentedDefaultRateAndSaysWhy()
    {
        var source = await _tables.CreateAsync("ppr-src", readUnits: null, writeUnits: null);
        var destination = await _tables.CreateAsync("ppr-dst", readUnits: null, writeUnits: null);
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(3_000));

        var result = await DdbCopyCli.RunAsync("--sourceEndpoint", db.Endpoint, "--sourceTable", source,
            "--destinationEndpoint", db.Endpoint, "--destinationTable", destination, "--output", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Reading at 3000 RCU/s: {source} is PAY_PER_REQUEST and no --readCapacityUnits was given", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"Writing at 2000 WCU/s: {destination} is PAY_PER_REQUEST and no --writeCapacityUnits was given", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(3_000, DdbCopyCli.Summary(result).GetProperty("written").GetInt32());
        Assert.Equal(3_000, await Tables.CountAsync(db.Client, destination));
    }

    [Fact]
    public async Task Copy_OnDemandWithAbsoluteLimits_UsesThem()
    {
        var source = await _tables.CreateAsync("ppr-abs-src", readUnits: null, writeUnits: null);
        var destination = await _tables.CreateAsync("ppr-abs-dst", readUnits: null, writeUnits: null);
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(1_000));
        await using var proxy = await FaultProxy.StartAsync(db.Endpoint);

        var result = await DdbCopyCli.RunAsync("--sourceEndpoint", db.Endpoint, "--sourceTable", source,
            "--destinationEndpoint", proxy.Url, "--destinationTable", destination,
            "--readCapacityUnits", "400", "--write-capacity-units", "500", "--output", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Reading at 400 RCU/s: --readCapacityUnits 400", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("Writing at 500 WCU/s: --writeCapacityUnits 500", result.StandardError, StringComparison.Ordinal);
        // 1,000 one-KB items at 500 WCU/s, paid before each batch of 20 from an empty bucket: the last batch goes out
        // 1.96 s after the first. Timed from outside by the proxy's clock (first write to last), without the process's
        // start-up: less would be a burst over the budget, more an idle tail.
        var (units, span) = proxy.Writes();
        output.WriteLine($"{units} WCU written in {span.TotalSeconds:0.00} s");
        Assert.Equal(1_000, units);
        Assert.InRange(span.TotalSeconds, 1.9, 2.5);
    }

    [Fact]
    public async Task Copy_LimitedTo1000Wcu_TakesCloseToTheTheoreticalTwentySeconds()
    {
        var source = await db.SharedSourceAsync();
        var destination = await _tables.CreateAsync("limited-dst", readUnits: 10_000, writeUnits: 10_000);
        await using var proxy = await FaultProxy.StartAsync(db.Endpoint); // no faults: its clock times the writes

        var result = await DdbCopyCli.RunAsync("--sourceEndpoint", db.Endpoint, "--sourceTable", source,
            "--destinationEndpoint", proxy.Url, "--destinationTable", destination,
            "--writeCapacityUnits", "1000", "--output", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var consumed = DdbCopyCli.Summary(result).GetProperty("consumedWriteCapacity").GetDouble();
        var (units, span) = proxy.Writes();
        var seconds = result.Elapsed.TotalSeconds; // the whole process, start-up included, timed from outside
        var held = proxy.ServerHeldWrites(TimeSpan.FromMilliseconds(250));
        output.WriteLine($"20,000 items at 1,000 WCU/s: writes over {span.TotalSeconds:0.000} s by the proxy's clock, {units} WCU; the process {seconds:0.0} s; "
            + $"DynamoDB Local held writes over 250 ms for {held.TotalSeconds:0.00} s");
        output.WriteLine($"per 100 ms: {proxy.WriteTimeline()}");
        // 20,000 WCU at 1,000 WCU/s, paid before each batch of 25 from an empty bucket: the last batch goes out 19.975 s
        // after the first at the earliest. Timed by the proxy (first write to last), so the machine's start-up time does
        // not count: less would be a burst over the budget, much more an idle tail (measured 20.76 s on a 2-core machine,
        // 96% of the budget used; the bound is 91%). The process adds its start-up and first page (2-7 s measured on
        // 2 cores, more when other test classes run beside it); the whole-process time was the bound before and failed
        // on a slower day with nothing else changed.
        Assert.Equal(20_000, consumed);
        Assert.Equal(20_000, units);
        // Plus the time DynamoDB Local (sharing two cores with the tests, a JVM that pauses for its collector) held writes
        // longer than a quarter second: the proxy times each forwarded write itself.
        Assert.InRange(span.TotalSeconds, 19.5, 22.0 + held.TotalSeconds);
        Assert.InRange(seconds, span.TotalSeconds, span.TotalSeconds + 12);
    }

    [Fact]
    public async Task Copy_IntoATableWithAGlobalIndex_KeepsTheIndexWithinTheRatioOfItsOwnCapacity()
    {
        var source = await _tables.CreateAsync("gsi-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(1_000));
        var index = new Amazon.DynamoDBv2.Model.GlobalSecondaryIndex
        {
            IndexName = "by-n",
            KeySchema = [new Amazon.DynamoDBv2.Model.KeySchemaElement("n", Amazon.DynamoDBv2.KeyType.HASH)],
            Projection = new Amazon.DynamoDBv2.Model.Projection { ProjectionType = Amazon.DynamoDBv2.ProjectionType.ALL },
            ProvisionedThroughput = new Amazon.DynamoDBv2.Model.ProvisionedThroughput(100, 200),
        };
        var destination = await _tables.CreateAsync("gsi-dst", readUnits: 100, writeUnits: 1_000, indexes: [index],
            extraAttributes: [new Amazon.DynamoDBv2.Model.AttributeDefinition("n", "N")]);

        await using var proxy = await FaultProxy.StartAsync(db.Endpoint);

        var result = await DdbCopyCli.RunAsync("--sourceEndpoint", db.Endpoint, "--sourceTable", source,
            "--destinationEndpoint", proxy.Url, "--destinationTable", destination, "--writeThroughputRatio", "1", "--output", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("each of its 1 global indexes kept within the same ratio of its own WCU", result.StandardError, StringComparison.Ordinal);
        var summary = DdbCopyCli.Summary(result);
        var (units, span) = proxy.Writes(); // timed from outside: the proxy's clock, first write to last
        output.WriteLine($"1,000 items into a table of 1,000 WCU whose index has 200 WCU: {units} WCU (table) in {span.TotalSeconds:0.00} s");
        // Every item also writes the index, which has 200 WCU: 1,000 index writes take 5 s (the last batch of 20 goes
        // out 4.9 s after the first), not the table's 1 s.
        Assert.Equal(2_000, summary.GetProperty("consumedWriteCapacity").GetDouble());
        Assert.Equal(1_000, units);
        Assert.InRange(span.TotalSeconds, 4.8, 5.5);
        Assert.Equal(1_000, await Tables.CountAsync(db.Client, destination));
    }

    [Fact]
    public async Task Copy_InterruptedWithCtrlC_DrainsWritesPrintsTheSummaryAndExits130()
    {
        var source = await db.SharedSourceAsync();
        var destination = await _tables.CreateAsync("sigint-dst", readUnits: 10_000, writeUnits: 10_000);

        var result = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(1),
            ["--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint,
             "--destinationTable", destination, "--writeCapacityUnits", "1000", "--output", "json"],
            async process =>
            {
                await Task.Delay(TimeSpan.FromSeconds(4));
                using var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
            });

        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(12), $"took {result.Elapsed} to stop");
        var summary = DdbCopyCli.Summary(result);
        Assert.True(summary.GetProperty("interrupted").GetBoolean());
        Assert.False(summary.GetProperty("complete").GetBoolean());
        var written = summary.GetProperty("written").GetInt32();
        Assert.InRange(written, 1_000, DynamoDbFixture.SharedItemCount - 1);
        // A graceful stop drains every queued batch: what was scanned was written, and what is written is there.
        Assert.Equal(summary.GetProperty("scanned").GetInt32(), written);
        Assert.Equal(0, summary.GetProperty("unconfirmed").GetInt32());
        Assert.Equal(written, await Tables.CountAsync(db.Client, destination));
        Assert.Contains("Stop requested", result.StandardError, StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _tables.DisposeAsync();
}
