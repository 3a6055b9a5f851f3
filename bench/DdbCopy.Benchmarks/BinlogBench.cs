using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DdbCopy.TestSupport;

namespace DdbCopy.Benchmarks;

/// <summary>
/// `binlog`: `import --follow --binlog` from a MariaDB writing its binary log (started here) into the fast fake.
/// Throughput: the follower is paused (SIGSTOP) while MariaDB writes N row changes (inserts, updates, deletes in
/// transactions of 1,000 rows), then resumed: changes applied per second from SIGCONT until the fake has answered a
/// put or delete for each (alone or in a batch), counted by the fake. Lag: single-row inserts committed at 1,000 a second for 20 s
/// while following; each key's lag is when the fake got its put less when the insert's commit returned, on one
/// clock (the fake runs in this process). Both measured from outside ddbcopy.
/// </summary>
internal static class BinlogBench
{
    public static async Task<int> RunAsync(int repeats, IReadOnlyList<Build> builds, long changes)
    {
        await using var server = await MariaDbServer.StartAsync(binaryLog: true);
        Console.WriteLine("| build | row changes | apply s | changes/s | lag at 1,000/s p50 ms | p99 ms | max ms | peak RSS MB |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (var run = 0; run < repeats; run++)
        {
            foreach (var build in builds)
            {
                var row = await RunOnceAsync(server, build, changes);
                if (row is null)
                {
                    return 1;
                }

                Console.WriteLine(row);
            }
        }

        return 0;
    }

    private static async Task<string?> RunOnceAsync(MariaDbServer server, Build build, long changes)
    {
        var database = await server.CreateDatabaseAsync("bench");
        await server.ExecuteAsync(database, "CREATE TABLE bench (pk VARCHAR(24) PRIMARY KEY, n INT NOT NULL, payload VARCHAR(200) NOT NULL)");
        await using var fake = await FastFakeDynamoDb.StartAsync(0);
        var folder = Directory.CreateTempSubdirectory("ddbcopy-binlog-bench-").FullName;
        var checkpoint = Path.Combine(folder, "checkpoint.json");
        var info = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["-v", .. build.Command, "import", "--from", server.Url(database), "--sourceTableName", "bench", "--destinationEndpoint", fake.Url,
                     "--destinationTable", "bench", "--writeCapacityUnits", "100000000", "--checkpointFile", checkpoint, "--output", "json", "--quiet", "--follow", "--binlog"])
        {
            info.ArgumentList.Add(arg);
        }

        (info.Environment["AWS_ACCESS_KEY_ID"], info.Environment["AWS_SECRET_ACCESS_KEY"], info.Environment["AWS_REGION"]) = ("bench", "bench", "us-east-1");
        info.Environment["MYSQL_PWD"] = server.Password;
        using var time = Process.Start(info)!;
        var stdout = time.StandardOutput.ReadToEndAsync();
        var stderr = time.StandardError.ReadToEndAsync();
        try
        {
            var ddbcopy = await ChildAsync(time.Id);
            await UntilAsync(() => Following(checkpoint), "the load to end and following to begin");
            await Task.Delay(1000);

            // Throughput: the changes are written while the follower is paused, then applied at its own pace.
            Signal("STOP", ddbcopy);
            var rows = (int)(changes / 3);
            for (var first = 0; first < rows; first += 1000)
            {
                var last = Math.Min(rows, first + 1000) - 1;
                await server.ExecuteAsync(database, string.Create(CultureInfo.InvariantCulture,
                    $"INSERT INTO bench SELECT CONCAT('k', seq), seq, REPEAT('x', 150) FROM {MariaDbServer.Sequence(first, last)}"));
            }

            await server.ExecuteAsync(database, string.Join(";", Enumerable.Range(0, (rows + 999) / 1000).Select(i => string.Create(CultureInfo.InvariantCulture,
                $"UPDATE bench SET n = n + 1 WHERE n BETWEEN {i * 1000} AND {(i * 1000) + 999}"))));
            await server.ExecuteAsync(database, string.Join(";", Enumerable.Range(0, (rows + 999) / 1000).Select(i => string.Create(CultureInfo.InvariantCulture,
                $"DELETE FROM bench WHERE n BETWEEN {(i * 1000) + 1} AND {(i * 1000) + 1000}"))));
            var total = 3L * rows;
            var watch = Stopwatch.StartNew();
            Signal("CONT", ddbcopy);
            await UntilAsync(() => fake.SingleWrites + fake.Written >= total, $"{total} changes to be applied", TimeSpan.FromMinutes(10));
            var applySeconds = watch.Elapsed.TotalSeconds;

            // Lag: 1,000 single-row commits a second for 20 s, each key's arrival at the fake against its commit.
            fake.Arrivals = new ConcurrentDictionary<string, long>();
            var committed = new Dictionary<string, long>();
            await using (var connection = await server.OpenAsync(database))
            {
                var pace = Stopwatch.StartNew();
                for (var i = 0; i < 20_000; i++)
                {
                    var wait = TimeSpan.FromMilliseconds(i) - pace.Elapsed;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait);
                    }

                    var key = string.Create(CultureInfo.InvariantCulture, $"lag{i}");
                    await using var insert = new MySqlConnector.MySqlCommand($"INSERT INTO bench VALUES ('{key}', {i}, 'y')", connection);
                    await insert.ExecuteNonQueryAsync();
                    committed[key] = Stopwatch.GetTimestamp();
                }
            }

            await UntilAsync(() => committed.Keys.All(fake.Arrivals.ContainsKey), "every lag row to arrive", TimeSpan.FromMinutes(2));
            var lags = committed.Select(c => Stopwatch.GetElapsedTime(c.Value, fake.Arrivals[c.Key]).TotalMilliseconds).Order().ToList();
            Signal("INT", ddbcopy);
            await time.WaitForExitAsync();
            var rss = EndToEnd.MaxRss().Match(await stderr) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) / 1024.0 : 0;
            return string.Create(CultureInfo.InvariantCulture,
                $"| {build.Name} | {total:N0} | {applySeconds:0.00} | {total / applySeconds:N0} | {lags[lags.Count / 2]:0} | {lags[(int)(lags.Count * 0.99)]:0} | {lags[^1]:0} | {rss:0} |");
        }
        catch (TimeoutException ex)
        {
            time.Kill(entireProcessTree: true);
            Console.Error.WriteLine($"{ex.Message}\n{await stdout}\n{await stderr}");
            return null;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>True once the checkpoint's binary log part shows the follower running (the load is finished).</summary>
    private static bool Following(string checkpoint)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(checkpoint));
            return json.RootElement.TryGetProperty("binlog", out _) && json.RootElement.GetProperty("state").GetString() == "finished";
        }
        catch (Exception ex) when (ex is IOException or JsonException or KeyNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The process /usr/bin/time started (ddbcopy itself, to signal).</summary>
    private static async Task<int> ChildAsync(int parent)
    {
        for (var i = 0; i < 100; i++)
        {
            var children = $"/proc/{parent}/task/{parent}/children";
            if (File.Exists(children) && (await File.ReadAllTextAsync(children)).Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var child, ..])
            {
                return int.Parse(child, CultureInfo.InvariantCulture);
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("ddbcopy did not start");
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > (timeout ?? TimeSpan.FromMinutes(2)))
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(20);
        }
    }
}
