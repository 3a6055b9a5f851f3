using System.Diagnostics;
using System.Globalization;
using DdbCopy.Core.Formats;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;
using DdbCopy.TestSupport.Faults;
using Xunit.Abstractions;

namespace DdbCopy.IntegrationTests.Hardening;

/// <summary>
/// Losing a side is detected fast and a stop is bounded: a destination that refuses connections or never answers
/// stops the run within seconds (not after dead-lettering the rest of the table), a graceful stop drains for the
/// drain timeout at most, and the accounting stays exact throughout. Time is measured from outside the process.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class LosingASideTests(DynamoDbFixture db, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);
    private readonly string _deadLetters = Path.Combine(Path.GetTempPath(), $"ddbcopy-lost-{Guid.NewGuid():N}.jsonl");
    private FaultProxy? _proxy;

    private FaultProxy Proxy => _proxy!;

    public async Task InitializeAsync() => _proxy = await FaultProxy.StartAsync(db.Endpoint);

    public async Task DisposeAsync()
    {
        output.WriteLine($"proxy: {_proxy}");
        await _proxy!.DisposeAsync();
        await _tables.DisposeAsync();
        File.Delete(_deadLetters);
    }

    [Fact]
    public async Task Copy_WhenTheDestinationStartsRefusingConnections_StopsWithinSecondsWithExactAccounting()
    {
        var source = await db.SharedSourceAsync();
        var destination = await _tables.CreateAsync("refused-dst", writeUnits: 10_000);
        var lostAt = TimeSpan.Zero;

        var result = await RunAsync(source, destination, ["--writeCapacityUnits", "1000"], async (process, watch) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            await Proxy.StopListeningAsync();
            lostAt = watch.Elapsed;
        });

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.True(result.Elapsed - lostAt < TimeSpan.FromSeconds(10), $"exited {(result.Elapsed - lostAt).TotalSeconds:0.0} s after the destination went away");
        Assert.Contains("stopped answering", result.StandardError, StringComparison.Ordinal);
        await AssertExactAccountingAsync(result, destination);
    }

    [Fact]
    public async Task Copy_WhenTheSourceStartsRefusingConnections_StopsReadingAndWritesWhatItRead()
    {
        var source = await db.SharedSourceAsync();
        var destination = await _tables.CreateAsync("source-lost-dst", writeUnits: 10_000);
        var lostAt = TimeSpan.Zero;

        var result = await RunAsync(source, destination, ["--readCapacityUnits", "300"], async (process, watch) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            await Proxy.StopListeningAsync();
            lostAt = watch.Elapsed;
        }, proxied: "source");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.True(result.Elapsed - lostAt < TimeSpan.FromSeconds(10), $"exited {(result.Elapsed - lostAt).TotalSeconds:0.0} s after the source went away");
        Assert.Contains("the source endpoint", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("stopped answering", result.StandardError, StringComparison.Ordinal);
        var summary = await AssertExactAccountingAsync(result, destination);
        Assert.Equal(0, summary.GetProperty("deadLettered").GetInt32());
    }

    [Fact]
    public async Task Copy_WhenTheDestinationAcceptsButNeverAnswers_TimesOutSaysSoAndStops()
    {
        var source = await db.SharedSourceAsync();
        var destination = await _tables.CreateAsync("blackhole-dst", writeUnits: 10_000);
        var lostAt = TimeSpan.Zero;

        var result = await RunAsync(source, destination, ["--writeCapacityUnits", "1000", "--requestTimeoutSeconds", "2"], async (process, watch) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            Proxy.Options.Blackhole = true;
            lostAt = watch.Elapsed;
        });

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.True(result.Elapsed - lostAt < TimeSpan.FromSeconds(12), $"exited {(result.Elapsed - lostAt).TotalSeconds:0.0} s after the destination stopped answering");
        Assert.Contains("BatchWriteItem timed out after 2 s without an answer", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("warn: ", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Operation canceled", result.StandardError + result.StandardOutput, StringComparison.OrdinalIgnoreCase);
        await AssertExactAccountingAsync(result, destination);
    }

    [Fact]
    public async Task Copy_StoppedWhileTheDestinationNeverAnswers_EndsWhenTheDrainTimeoutPasses()
    {
        var source = await db.SharedSourceAsync();
        var destination = await _tables.CreateAsync("drain-dst", writeUnits: 10_000);
        var stoppedAt = TimeSpan.Zero;

        var result = await RunAsync(source, destination,
            ["--writeCapacityUnits", "1000", "--requestTimeoutSeconds", "120", "--drainTimeoutSeconds", "3"], async (process, watch) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(3));
                Proxy.Options.Blackhole = true;
                await Task.Delay(TimeSpan.FromSeconds(1));
                using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
                stoppedAt = watch.Elapsed;
            });

        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.True(result.Elapsed - stoppedAt < TimeSpan.FromSeconds(8), $"exited {(result.Elapsed - stoppedAt).TotalSeconds:0.0} s after SIGTERM");
        Assert.Contains("Stopping at once", result.StandardError, StringComparison.Ordinal);
        var summary = await AssertExactAccountingAsync(result, destination);
        Assert.True(summary.GetProperty("deadLettered").GetInt32() > 0, result.ToString());
    }

    /// <summary>scanned = written + deadLettered; the table holds every written item; the dead-letter file holds the rest.</summary>
    private async Task<System.Text.Json.JsonElement> AssertExactAccountingAsync(ProcessResult result, string destination)
    {
        var summary = DdbCopyCli.Summary(result);
        var scanned = summary.GetProperty("scanned").GetInt32();
        var written = summary.GetProperty("written").GetInt32();
        var deadLettered = summary.GetProperty("deadLettered").GetInt32();
        Assert.Equal(scanned, written + deadLettered);
        Assert.Equal(0, summary.GetProperty("unconfirmed").GetInt32());
        Assert.True(scanned < DynamoDbFixture.SharedItemCount, $"scanned {scanned}: the rest of the table was read after the destination was lost");
        var inTable = (await Tables.ScanAllAsync(db.Client, destination)).Select(i => i["pk"].S).ToHashSet();
        var recorded = File.Exists(_deadLetters) ? File.ReadLines(_deadLetters).Select(l => DynamoDbJson.ParseItemLine(l)["pk"].S).ToList() : [];
        Assert.Equal(deadLettered, recorded.Count);
        Assert.True(inTable.Count >= written, $"{inTable.Count} in the table, {written} written");
        Assert.Equal(scanned, inTable.Union(recorded).Count());
        return summary;
    }

    /// <param name="proxied">Which side goes through the proxy: "destination" or "source".</param>
    private Task<ProcessResult> RunAsync(string source, string destination, string[] extra, Func<Process, Stopwatch, Task> whileRunning,
        string proxied = "destination")
    {
        var watch = new Stopwatch();
        var (sourceEndpoint, destinationEndpoint) = proxied == "source" ? (Proxy.Url, db.Endpoint) : (db.Endpoint, Proxy.Url);
        return DdbCopyCli.RunAsync(TimeSpan.FromMinutes(2),
            ["--sourceEndpoint", sourceEndpoint, "--sourceTable", source, "--destinationEndpoint", destinationEndpoint, "--destinationTable", destination,
             "--output", "json", "--deadLetterFile", _deadLetters, .. extra],
            process =>
            {
                watch.Start();
                return whileRunning(process, watch);
            });
    }
}
