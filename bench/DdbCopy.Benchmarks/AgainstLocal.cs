using System.Globalization;
using DdbCopy.TestSupport;

namespace DdbCopy.Benchmarks;

/// <summary>
/// Copies against a real DynamoDB Local (which the harness starts) with each build, and with the classic
/// dynamodb-import-export-tool when its jar is given (never committed), interleaved, under GNU time: wall time, CPU
/// seconds, CPU per item and peak RSS. DynamoDB Local bounds every client at a few thousand writes a second, so the
/// point is the CPU each one spends per item, measured in the same run.
/// </summary>
internal static class AgainstLocal
{
    /// <param name="classicJar">The classic tool's jar, or null.</param>
    public static async Task<int> RunAsync(int items, int repeats, IReadOnlyList<Build> builds, string? classicJar)
    {
        await using var server = await DynamoDbLocalServer.StartAsync("-Xmx1g");
        using var client = server.CreateClient();
        // Provisioned tables: the classic tool crashes on on-demand ones ("rate must be positive").
        var source = Tables.UniqueName("bench-local-src");
        await Tables.CreateAsync(client, source, readUnits: 10_000, writeUnits: 10_000);
        await Tables.PutAllAsync(client, source, ItemFactory.Many(items));
        var runs = builds.Select(b => (b.Name, Command: (Func<string, string[]>)(destination =>
            [.. b.Command, "--sourceEndpoint", server.Url, "--sourceTable", source, "--destinationEndpoint", server.Url, "--destinationTable", destination,
             "--readThroughputRatio", "1", "--writeThroughputRatio", "1", "--quiet", "--output", "json",
             "--checkpointFile", Path.Combine(Path.GetTempPath(), $"{destination}.checkpoint.json"),
             "--deadLetterFile", Path.Combine(Path.GetTempPath(), $"{destination}.deadletters.jsonl")]))).ToList();
        if (classicJar is not null)
        {
            runs.Add(("classic tool", destination =>
                ["java", "-jar", Path.GetFullPath(classicJar), "--sourceEndpoint", server.Url, "--sourceTable", source,
                 "--destinationEndpoint", server.Url, "--destinationTable", destination, "--readThroughputRatio", "1", "--writeThroughputRatio", "1"]));
        }

        Console.WriteLine($"| build | items | wall s | CPU s | CPU µs per item | peak RSS MB |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        for (var run = 0; run < repeats; run++)
        {
            foreach (var (name, command) in runs)
            {
                var destination = Tables.UniqueName("bench-local-dst");
                await Tables.CreateAsync(client, destination, readUnits: 10_000, writeUnits: 10_000);
                var (exit, _, error, _) = await EndToEnd.TimeAsync(command(destination));
                var copied = await Tables.CountAsync(client, destination);
                await client.DeleteTableAsync(destination);
                if (copied != items)
                {
                    Console.Error.WriteLine($"{name}: {copied} of {items} items in the destination (exit {exit}):\n{error}");
                    return 1;
                }

                var (cpu, rss) = EndToEnd.Usage(error);
                var wall = EndToEnd.Seconds(error, EndToEnd.WallPattern);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {items:N0} | {wall:0.0} | {cpu:0.00} | {cpu / items * 1_000_000:0} | {rss:0} |"));
            }
        }

        return 0;
    }
}
