using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;
using Xunit.Abstractions;

namespace DdbCopy.IntegrationTests.Packaging;

/// <summary>
/// <c>--metricsListen</c> through the real CLI, scraped by a real Prometheus server: during a follow, its query API
/// returns the items written and the changes applied, as counted in DynamoDB Local, and /healthz answers.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class MetricsTests(DynamoDbFixture db, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-metrics-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task<double?> ValueAsync(PrometheusServer prometheus, string query) =>
        (await prometheus.QueryAsync(query)) is [var only] ? only.Value : null;

    /// <summary>Waits (up to a minute) until Prometheus answers <paramref name="query"/> with <paramref name="expected"/>.</summary>
    private async Task WaitForAsync(PrometheusServer prometheus, string query, double expected)
    {
        var watch = Stopwatch.StartNew();
        double? last = null;
        while (watch.Elapsed < TimeSpan.FromMinutes(1))
        {
            last = await ValueAsync(prometheus, query);
            if (last == expected)
            {
                output.WriteLine($"{query} = {expected} after {watch.Elapsed.TotalSeconds:0.0} s");
                return;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"Prometheus never answered {query} = {expected} (last: {last?.ToString(CultureInfo.InvariantCulture) ?? "no series"})");
    }

    [Fact]
    public async Task ARealPrometheus_ScrapesAFollow_ItsQueryApiReturnsTheWrittenAndAppliedCounters()
    {
        var source = await _tables.CreateAsync("metrics-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(500));
        await Tables.EnableStreamAsync(db.Client, source);
        var destination = await _tables.CreateAsync("metrics-dst");
        var address = $"127.0.0.1:{DynamoDbLocalServer.FreePort()}";
        await using var prometheus = await PrometheusServer.StartAsync(address);
        var health = "";

        var result = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(3), ["--sourceEndpoint", db.Endpoint, "--sourceTable", source,
            "--destinationEndpoint", db.Endpoint, "--destinationTable", destination, "--follow", "--writeCapacityUnits", "800",
            "--checkpointFile", Path.Combine(_folder, "follow.json"), "--metricsListen", address, "--output", "json"],
            async process =>
            {
                await WaitForAsync(prometheus, "ddbcopy_items_written_total", 500);
                for (var i = 0; i < 3; i++)
                {
                    await db.Client.PutItemAsync(source, ItemFactory.Sized(10_000 + i));
                }

                await WaitForAsync(prometheus, "ddbcopy_follow_records_applied_total", 3);
                await WaitForAsync(prometheus, "ddbcopy_capacity_budget{side=\"write\"}", 800);
                await WaitForAsync(prometheus, "up{job=\"ddbcopy\"}", 1);
                using var http = new HttpClient();
                health = await http.GetStringAsync($"http://{address}/healthz");
                using var stop = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]);
                await stop.WaitForExitAsync();
            });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("ok\n", health);
        Assert.Equal(503, await Tables.CountAsync(db.Client, destination));
        Assert.Equal(503, DdbCopyCli.Summary(result).GetProperty("written").GetInt64() + DdbCopyCli.Summary(result).GetProperty("applied").GetInt64());
    }

    [Fact]
    public async Task AnAddressThatCannotBeUsed_StopsTheJobBeforeAnythingIsWritten_InOneLine()
    {
        var source = await _tables.CreateAsync("metrics-busy-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(10));
        var destination = await _tables.CreateAsync("metrics-busy-dst");
        using var busy = new TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;
        string[] copy = ["--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            "--checkpointFile", Path.Combine(_folder, "busy.json")];

        var inUse = await DdbCopyCli.RunAsync([.. copy, "--metricsListen", $"127.0.0.1:{port}"]);
        var malformed = await DdbCopyCli.RunAsync([.. copy, "--metricsListen", "9464"]);

        Assert.Equal(3, inUse.ExitCode);
        Assert.Contains("--metricsListen 127.0.0.1:", inUse.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", inUse.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, malformed.ExitCode);
        Assert.Contains("--metricsListen must be HOST:PORT", malformed.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, await Tables.CountAsync(db.Client, destination));
    }
}
