using System.Globalization;
using System.Text.Json;

namespace DdbCopy.Benchmarks;

/// <summary>
/// The measurements of issue 21, each builds' runs interleaved in one command: (1) items/s against the budget when every
/// call takes a real round trip (the fake answers after 40 or 20 ms); (2) the time to write under a write limit the
/// destination enforces without announcing it and changes on a schedule, against the ideal and against a plain AWS SDK
/// client in its own adaptive retry mode. Times are the fake's (first write to last accepted item), not ddbcopy's summary.
/// </summary>
internal static class RateBench
{
    public const string DefaultSchedule = "800@0,400@8,1600@14";

    /// <summary>Copies at a round trip of 40 ms with a 20,000 WCU budget and at 20 ms with 40,000 WCU.</summary>
    public static async Task<int> LatencyAsync(int repeats, IReadOnlyList<Build> builds, string[] extraArgs,
        IReadOnlyList<(double LatencyMs, double Budget, long Items)>? cases = null)
    {
        cases ??= [(40, 20_000, 200_000), (20, 40_000, 400_000)];
        Console.WriteLine("| build | round trip ms | budget WCU/s | items | write s | items/s | of budget | busiest second | CPU s | CPU of 2 cores | peak RSS MB |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (latency, budget, items) in cases)
        {
            for (var run = 0; run < repeats; run++)
            {
                foreach (var build in builds)
                {
                    await using var fake = await FastFakeDynamoDb.StartAsync(items, options: new FakeOptions(LatencyMs: latency));
                    var (ok, error) = await CopyAsync(build, fake, items, ["--writeCapacityUnits", Number(budget), .. extraArgs]);
                    if (!ok)
                    {
                        return 1;
                    }

                    var seconds = fake.WrittenPerSecond.Seconds;
                    var wall = EndToEnd.Seconds(error, EndToEnd.WallPattern);
                    var (cpu, rss) = EndToEnd.Usage(error);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {build.Name} | {latency:0} | {budget:N0} | {items:N0} | {seconds:0.0} | {items / seconds:N0} | {items / seconds / budget:0.00} | {fake.WrittenPerSecond.BusiestSecond:N0} | {cpu:0.0} | {cpu / wall / Environment.ProcessorCount:P0} | {rss:0} |"));
                }
            }
        }

        return 0;
    }

    /// <summary>The write-limit schedule: the SDK's adaptive client and each build, interleaved.</summary>
    /// <param name="withSdk">Run the two SDK clients too (false: only ddbcopy's builds, while tuning).</param>
    public static async Task<int> LimitAsync(int repeats, IReadOnlyList<Build> builds, string[] extraArgs, long items, string schedule, double latencyMs,
        bool withSdk = true)
    {
        Console.WriteLine($"Write limit (items/s @ second): {schedule}; {items:N0} items of ~1 KB; round trip {latencyMs} ms; ideal {WriteLimit.Parse(schedule).IdealSeconds(items):0.0} s");
        Console.WriteLine("| client | time s | of ideal | fully throttled calls | partly throttled calls | calls |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        for (var run = 0; run < repeats; run++)
        {
            var clients = withSdk
                ? new List<(string Name, Build? Build)> { ("AWS SDK for JavaScript v3, adaptive", null), ("AWS SDK for .NET, adaptive", null) }
                : [];
            clients.AddRange(builds.Select(b => ($"ddbcopy {b.Name}", (Build?)b)));
            foreach (var (name, build) in clients)
            {
                var limit = WriteLimit.Parse(schedule);
                await using var fake = await FastFakeDynamoDb.StartAsync(items, options: new FakeOptions(latencyMs, OnDemand: true, WriteLimit: limit));
                if (build is null)
                {
                    // The .NET SDK can stall for minutes (docs/rate.md): it is given 60 s and its row says how far it got.
                    using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                    var sdk = name.Contains("JavaScript", StringComparison.Ordinal)
                        ? SdkAdaptiveClient.RunJavaScriptAsync(fake.Url, "bench-destination", items)
                        : SdkAdaptiveClient.RunAsync(fake.Url, "bench-destination", items, deadline.Token);
                    var started = DateTime.UtcNow;
                    while (await Task.WhenAny(sdk, Task.Delay(5000)) != sdk && DateTime.UtcNow - started < TimeSpan.FromSeconds(65))
                    {
                        Console.Error.WriteLine($"  {name}: {fake.Written:N0} written, {limit.Calls} calls, {limit.ThrottledCalls} throttled");
                    }

                    // Its token bucket may wait without looking at the token: a client still stuck is left behind.
                    if (sdk.IsCompleted)
                    {
                        await sdk;
                    }
                }
                else
                {
                    var (ok, _) = await CopyAsync(build, fake, items, extraArgs);
                    if (!ok)
                    {
                        return 1;
                    }
                }

                if (fake.Written < items && build is null)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {name} | did not finish in 60 s: {fake.Written:N0} written | | {limit.ThrottledCalls} | {limit.PartialCalls} | {limit.Calls} |"));
                    continue;
                }

                if (fake.Written != items)
                {
                    Console.Error.WriteLine($"{name}: the fake took {fake.Written} of {items} items");
                    return 1;
                }

                var time = limit.LastAcceptedSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {time:0.0} | {time / limit.IdealSeconds(items):0.00} | {limit.ThrottledCalls} | {limit.PartialCalls} | {limit.Calls} |"));
            }
        }

        return 0;
    }

    /// <summary>Runs a copy of the fake's table into the fake under GNU time; checks that every item was written.</summary>
    private static async Task<(bool Ok, string Error)> CopyAsync(Build build, FastFakeDynamoDb fake, long items, string[] args)
    {
        var checkpoint = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.checkpoint.json");
        var deadLetters = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.deadletters.jsonl");
        var (exit, output, error, _) = await EndToEnd.TimeAsync([.. EndToEnd.CopyArgs(build, fake.Url, checkpoint, deadLetters), .. args]);
        File.Delete(checkpoint);
        File.Delete(deadLetters);
        if (exit != 0)
        {
            Console.Error.WriteLine($"ddbcopy exited {exit}:\n{output}\n{error}");
            return (false, error);
        }

        using var summary = JsonDocument.Parse(output);
        var written = summary.RootElement.GetProperty("written").GetInt64();
        if (written != items || fake.Written != items)
        {
            Console.Error.WriteLine($"expected {items} items, ddbcopy says {written}, the fake saw {fake.Written}");
            return (false, error);
        }

        return (true, error);
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
