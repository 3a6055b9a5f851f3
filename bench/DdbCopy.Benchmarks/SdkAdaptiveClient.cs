using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace DdbCopy.Benchmarks;

/// <summary>
/// The yardstick of issue 21: what a plain AWS SDK client gets from the SDK's own adaptive retry mode
/// (<see cref="RequestRetryMode.Adaptive"/>: a client-side token bucket steered by a cubic function of the last
/// throttle). <see cref="Writers"/> tasks each send 25 generated items with BatchWriteItem and re-send UnprocessedItems
/// (or a batch that stayed throttled through the SDK's own retries) after 50 ms, as its documentation suggests.
/// </summary>
internal static class SdkAdaptiveClient
{
    public const int Writers = 16;

    public static async Task RunAsync(string url, string table, long items, CancellationToken cancellationToken, int itemBytes = 1000)
    {
        var config = new AmazonDynamoDBConfig { ServiceURL = url, AuthenticationRegion = "us-east-1", RetryMode = RequestRetryMode.Adaptive };
        using var client = new AmazonDynamoDBClient(new BasicAWSCredentials("bench", "bench"), config);
        var payload = new string('x', Math.Max(1, itemBytes - 40));
        long next = 0;

        async Task WriteAsync()
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var first = Interlocked.Add(ref next, 25) - 25;
                if (first >= items)
                {
                    return;
                }

                var puts = new List<WriteRequest>();
                for (var i = first; i < Math.Min(items, first + 25); i++)
                {
                    puts.Add(new WriteRequest(new PutRequest(new Dictionary<string, AttributeValue>
                    {
                        ["pk"] = new($"item-{i}"),
                        ["n"] = new() { N = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                        ["payload"] = new(payload),
                    })));
                }

                var pending = new Dictionary<string, List<WriteRequest>> { [table] = puts };
                while (pending.Count > 0 && !cancellationToken.IsCancellationRequested)
                {
                    try
                    {
                        var answer = await client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = pending }, cancellationToken);
                        pending = answer.UnprocessedItems is { Count: > 0 } left ? left : [];
                    }
                    catch (ProvisionedThroughputExceededException)
                    {
                        // Still throttled after the SDK's own retries: send the batch again.
                    }
                    catch (AmazonClientException ex) when (ex.Message.Contains("capacity could not be obtained", StringComparison.Ordinal))
                    {
                        // The SDK's client-side rate limiter gave up waiting for a token: send the batch again.
                    }

                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        return;
                    }

                    if (pending.Count > 0)
                    {
                        await Task.Delay(50, CancellationToken.None);
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteAsync)));
    }

    /// <summary>The same client written with the AWS SDK for JavaScript v3 (<c>bench/sdk-js/writer.mjs</c>, installed here from npm on first use).</summary>
    public static async Task RunJavaScriptAsync(string url, string table, long items)
    {
        var folder = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "sdk-js"));
        if (!Directory.Exists(Path.Combine(folder, "node_modules")))
        {
            await RunAsync("npm", folder, "ci", "--no-audit", "--no-fund");
        }

        await RunAsync("node", folder, "writer.mjs", url, table, items.ToString(System.Globalization.CultureInfo.InvariantCulture), Writers.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task RunAsync(string program, string folder, params string[] args)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = folder, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}");
        }
    }
}
