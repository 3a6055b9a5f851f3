using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DdbCopy.Benchmarks;

/// <summary>
/// Runs the real ddbcopy executable, unthrottled, against <see cref="FastFakeDynamoDb"/> under GNU time, and reports
/// items/s, CPU seconds per 100,000 items and peak RSS.
/// </summary>
internal static partial class EndToEnd
{
    [GeneratedRegex(@"User time \(seconds\): ([\d.]+)")]
    internal static partial Regex UserTime();

    [GeneratedRegex(@"System time \(seconds\): ([\d.]+)")]
    internal static partial Regex SystemTime();

    [GeneratedRegex(@"Maximum resident set size \(kbytes\): (\d+)")]
    internal static partial Regex MaxRss();

    /// <summary>The JIT build next to the harness: <c>dotnet ddbcopy.dll</c>.</summary>
    public static readonly Build Jit = new("JIT", ["dotnet", Path.Combine(AppContext.BaseDirectory, "ddbcopy.dll")]);

    /// <param name="builds">The builds to compare, run one after another for each repeat (A B A B), so a machine's drift hits both.</param>
    /// <param name="verify">Run `ddbcopy verify` of two equal tables of the fake instead of a copy.</param>
    public static async Task<int> RunAsync(IReadOnlyList<long> itemCounts, int repeats, string[] extraArgs, IReadOnlyList<Build> builds, bool verify = false,
        FakeOptions? fakeOptions = null)
    {
        Console.WriteLine("| build | items | wall s | copy s | items/s | CPU s | CPU s / 100k items | peak RSS MB |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var items in itemCounts)
        {
            for (var run = 0; run < repeats; run++)
            {
                foreach (var build in builds)
                {
                    var row = await RunOnceAsync(build, items, extraArgs, verify, fakeOptions);
                    if (row is null)
                    {
                        return 1;
                    }

                    Console.WriteLine(row);
                }
            }
        }

        return 0;
    }

    /// <summary>`--help` and `--version`: the median wall time of <paramref name="repeats"/> runs of each build, and its peak RSS.</summary>
    public static async Task<int> StartupAsync(int repeats, IReadOnlyList<Build> builds)
    {
        Console.WriteLine("| build | command | median wall ms | min wall ms | peak RSS MB |");
        Console.WriteLine("|---|---|---:|---:|---:|");
        foreach (var command in new[] { "--help", "--version" })
        {
            foreach (var build in builds)
            {
                var walls = new List<double>();
                double rss = 0;
                for (var run = 0; run < repeats; run++)
                {
                    var (exit, _, error, elapsed) = await TimeAsync([.. build.Command, command]);
                    if (exit != 0)
                    {
                        Console.Error.WriteLine($"{build.Name} {command} exited {exit}: {error}");
                        return 1;
                    }

                    walls.Add(elapsed.TotalMilliseconds); // measured here: GNU time's wall clock has 10 ms steps
                    rss = Math.Max(rss, Usage(error).PeakRssMb);
                }

                walls.Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {build.Name} | `ddbcopy {command}` | {walls[walls.Count / 2]:0.0} | {walls[0]:0.0} | {rss:0} |"));
            }
        }

        return 0;
    }

    internal const string WallPattern = @"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)";

    /// <summary>Runs <paramref name="command"/> under <c>/usr/bin/time -v</c> with dummy AWS credentials; its output, GNU time's report (on stderr) and the wall time.</summary>
    internal static async Task<(int Exit, string Output, string Error, TimeSpan Elapsed)> TimeAsync(IEnumerable<string> command)
    {
        var info = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-v");
        foreach (var arg in command)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["AWS_ACCESS_KEY_ID"] = "bench";
        info.Environment["AWS_SECRET_ACCESS_KEY"] = "bench";
        info.Environment["AWS_REGION"] = "us-east-1";
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        watch.Stop();
        return (process.ExitCode, await stdout, await stderr, watch.Elapsed);
    }

    private static async Task<string?> RunOnceAsync(Build build, long items, string[] extraArgs, bool verify, FakeOptions? fakeOptions)
    {
        await using var fake = await FastFakeDynamoDb.StartAsync(items, uniqueKeys: verify, options: fakeOptions);
        var checkpoint = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.checkpoint.json");
        string[] args = verify
            ?
            [
                .. build.Command, "verify",
                "--sourceEndpoint", fake.Url, "--sourceTable", "bench-source",
                "--destinationEndpoint", fake.Url, "--destinationTable", "bench-destination",
                "--readCapacityUnits", "100000000", "--output", "json", "--quiet", .. extraArgs,
            ]
            : [.. CopyArgs(build, fake.Url, checkpoint, Path.Combine(Path.GetTempPath(), "bench-deadletters.jsonl")), "--writeCapacityUnits", "100000000",
               .. extraArgs];
        var (exit, output, error, _) = await TimeAsync(args);
        File.Delete(checkpoint);
        if (exit != 0)
        {
            Console.Error.WriteLine($"ddbcopy exited {exit}:\n{output}\n{error}");
            return null;
        }

        using var summary = JsonDocument.Parse(output);
        var written = summary.RootElement.GetProperty(verify ? "compared" : "written").GetInt64();
        var seconds = summary.RootElement.GetProperty("durationSeconds").GetDouble();
        var wall = Seconds(error, WallPattern);
        var (cpu, rssMb) = Usage(error);
        if (written != items || fake.Written != (verify ? 0 : items))
        {
            Console.Error.WriteLine($"expected {items} items, ddbcopy says {written}, the fake saw {fake.Written}");
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"| {build.Name} | {items:N0} | {wall:0.0} | {seconds:0.0} | {written / seconds:N0} | {cpu:0.0} | {cpu / items * 100_000:0.00} | {rssMb:0} |");
    }

    /// <summary>A copy of the fake's bench-source table into its bench-destination, unthrottled reads, JSON summary, no progress.</summary>
    internal static string[] CopyArgs(Build build, string url, string checkpoint, string deadLetters) =>
    [
        .. build.Command,
        "--sourceEndpoint", url, "--sourceTable", "bench-source", "--destinationEndpoint", url, "--destinationTable", "bench-destination",
        "--readCapacityUnits", "100000000", "--output", "json", "--quiet", "--deadLetterFile", deadLetters, "--checkpointFile", checkpoint,
    ];

    /// <summary>CPU seconds (user and system) and peak RSS in MB, from GNU time's report.</summary>
    internal static (double CpuSeconds, double PeakRssMb) Usage(string timeReport) => (
        double.Parse(UserTime().Match(timeReport).Groups[1].Value, CultureInfo.InvariantCulture)
            + double.Parse(SystemTime().Match(timeReport).Groups[1].Value, CultureInfo.InvariantCulture),
        long.Parse(MaxRss().Match(timeReport).Groups[1].Value, CultureInfo.InvariantCulture) / 1024.0);

    internal static double Seconds(string text, string pattern)
    {
        var value = Regex.Match(text, pattern).Groups[1].Value;
        var parts = value.Split(':');
        return parts.Aggregate(0.0, (total, part) => total * 60 + double.Parse(part, CultureInfo.InvariantCulture));
    }
}

/// <summary>A build of ddbcopy to measure: its name in the table, and the command that starts it.</summary>
internal sealed record Build(string Name, string[] Command);
