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
    private static partial Regex UserTime();

    [GeneratedRegex(@"System time \(seconds\): ([\d.]+)")]
    private static partial Regex SystemTime();

    [GeneratedRegex(@"Maximum resident set size \(kbytes\): (\d+)")]
    private static partial Regex MaxRss();

    /// <param name="verify">Run `ddbcopy verify` of two equal tables of the fake instead of a copy.</param>
    public static async Task<int> RunAsync(IReadOnlyList<long> itemCounts, int repeats, string[] extraArgs, bool verify = false)
    {
        Console.WriteLine("| items | wall s | copy s | items/s | CPU s | CPU s / 100k items | peak RSS MB |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var items in itemCounts)
        {
            for (var run = 0; run < repeats; run++)
            {
                var row = await RunOnceAsync(items, extraArgs, verify);
                if (row is null)
                {
                    return 1;
                }

                Console.WriteLine(row);
            }
        }

        return 0;
    }

    private static async Task<string?> RunOnceAsync(long items, string[] extraArgs, bool verify)
    {
        await using var fake = await FastFakeDynamoDb.StartAsync(items, uniqueKeys: verify);
        var info = new ProcessStartInfo("/usr/bin/time")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var checkpoint = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.checkpoint.json");
        string[] args = verify
            ?
            [
                "-v", "dotnet", Path.Combine(AppContext.BaseDirectory, "ddbcopy.dll"), "verify",
                "--sourceEndpoint", fake.Url, "--sourceTable", "bench-source",
                "--destinationEndpoint", fake.Url, "--destinationTable", "bench-destination",
                "--readCapacityUnits", "100000000", "--output", "json", "--quiet", .. extraArgs,
            ]
            :
            [
                "-v", "dotnet", Path.Combine(AppContext.BaseDirectory, "ddbcopy.dll"),
                "--sourceEndpoint", fake.Url, "--sourceTable", "bench-source",
                "--destinationEndpoint", fake.Url, "--destinationTable", "bench-destination",
                "--readCapacityUnits", "100000000", "--writeCapacityUnits", "100000000",
                "--output", "json", "--quiet", "--deadLetterFile", Path.Combine(Path.GetTempPath(), "bench-deadletters.jsonl"),
                "--checkpointFile", checkpoint, .. extraArgs,
            ];
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["AWS_ACCESS_KEY_ID"] = "bench";
        info.Environment["AWS_SECRET_ACCESS_KEY"] = "bench";
        info.Environment["AWS_REGION"] = "us-east-1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        var error = await stderr;
        File.Delete(checkpoint);
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine($"ddbcopy exited {process.ExitCode}:\n{output}\n{error}");
            return null;
        }

        using var summary = JsonDocument.Parse(output);
        var written = summary.RootElement.GetProperty(verify ? "compared" : "written").GetInt64();
        var seconds = summary.RootElement.GetProperty("durationSeconds").GetDouble();
        var wall = Seconds(error, @"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)");
        var cpu = double.Parse(UserTime().Match(error).Groups[1].Value, CultureInfo.InvariantCulture)
            + double.Parse(SystemTime().Match(error).Groups[1].Value, CultureInfo.InvariantCulture);
        var rssMb = long.Parse(MaxRss().Match(error).Groups[1].Value, CultureInfo.InvariantCulture) / 1024.0;
        if (written != items || fake.Written != (verify ? 0 : items))
        {
            Console.Error.WriteLine($"expected {items} items, ddbcopy says {written}, the fake saw {fake.Written}");
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"| {items:N0} | {wall:0.0} | {seconds:0.0} | {written / seconds:N0} | {cpu:0.0} | {cpu / items * 100_000:0.00} | {rssMb:0} |");
    }

    private static double Seconds(string text, string pattern)
    {
        var value = Regex.Match(text, pattern).Groups[1].Value;
        var parts = value.Split(':');
        return parts.Aggregate(0.0, (total, part) => total * 60 + double.Parse(part, CultureInfo.InvariantCulture));
    }
}
