using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Items;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DdbCopy.TestSupport.Faults;

/// <summary>
/// A DynamoDB proxy on 127.0.0.1 that forwards to a real endpoint (DynamoDB Local) and injects the faults a real
/// DynamoDB shows: throttling with the real error shape, partial batches (UnprocessedItems), 500/503, connection
/// resets, latency, keys that never get written (a hot partition), and a provisioned-capacity budget per table
/// computed from item sizes. Every answer it makes up carries an x-amz-crc32 header, as DynamoDB's do.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private const string ErrorPrefix = "com.amazonaws.dynamodb.v20120810#";
    private static readonly string[] ForwardedHeaders = ["Authorization", "X-Amz-Date", "X-Amz-Target", "X-Amz-Security-Token", "amz-sdk-invocation-id", "amz-sdk-request"];

    private readonly HttpClient _http;
    private WebApplication? _app;
    private readonly ConcurrentDictionary<string, ProxyTokenBucket> _writeBuckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ProxyTokenBucket> _readBuckets = new(StringComparer.Ordinal);

    private FaultProxy(Uri target)
    {
        _http = new HttpClient { BaseAddress = target, Timeout = TimeSpan.FromSeconds(60) };
    }

    public FaultOptions Options { get; } = new();

    public ProxyStats Stats { get; } = new();

    public string Url { get; private set; } = "";

    public static async Task<FaultProxy> StartAsync(string target)
    {
        var proxy = new FaultProxy(new Uri(target));
        (proxy._app, proxy.Url) = await LoopbackServer.StartAsync(proxy.HandleAsync);
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _http.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var operation = target.Contains('.', StringComparison.Ordinal) ? target[(target.LastIndexOf('.') + 1)..] : target;
        Stats.Add(operation);
        if (Options.Latency > TimeSpan.Zero)
        {
            await Task.Delay(Options.Latency);
        }

        var dataOperation = operation is "BatchWriteItem" or "Scan";
        if (dataOperation && Chance(Options.ConnectionResets))
        {
            Stats.Add("reset");
            context.Abort();
            return;
        }

        if (dataOperation && Chance(Options.ServerErrors))
        {
            var unavailable = Random.Shared.Next(2) == 0;
            Stats.Add(unavailable ? "503" : "500");
            await ErrorAsync(context, unavailable ? 503 : 500, unavailable ? "ServiceUnavailableException" : "InternalServerError",
                "The server encountered an internal error trying to fulfill the request.", "com.amazon.coral.service#");
            return;
        }

        if ((operation == "BatchWriteItem" && Chance(Options.ThrottleWrites)) || (operation == "Scan" && Chance(Options.ThrottleScans)))
        {
            Stats.Add("throttled:" + operation);
            await ThrottleAsync(context);
            return;
        }

        switch (operation)
        {
            case "BatchWriteItem":
                await BatchWriteAsync(context, body);
                return;
            case "Scan":
                await ScanAsync(context, body);
                return;
            default:
                var (status, answer, headers) = await ForwardAsync(context, body);
                if (operation == "DescribeTable" && status == 200 && JsonNode.Parse(answer) is JsonObject described
                    && described["Table"] is JsonObject table && Options.DeletionProtected.Contains(table["TableName"]?.GetValue<string>() ?? ""))
                {
                    table["DeletionProtectionEnabled"] = true;
                    answer = Encoding.UTF8.GetBytes(described.ToJsonString());
                }

                await RespondAsync(context, status, answer, headers);
                return;
        }
    }

    private async Task BatchWriteAsync(HttpContext context, byte[] body)
    {
        var request = JsonNode.Parse(body)!.AsObject();
        var requestItems = request["RequestItems"]!.AsObject();
        var unprocessed = new JsonObject();
        var forwardedAny = false;
        var partial = Chance(Options.PartialWrites);
        foreach (var (table, node) in requestItems.ToList())
        {
            var writes = node!.AsArray().Select(w => w!.DeepClone()).ToList();
            var keep = new JsonArray();
            var refuse = new JsonArray();
            var keepCount = partial && writes.Count > 1 ? Random.Shared.Next(1, writes.Count) : writes.Count;
            var bucket = Options.WriteCapacity.TryGetValue(table, out var wcu) ? _writeBuckets.GetOrAdd(table, _ => new ProxyTokenBucket(wcu)) : null;
            for (var i = 0; i < writes.Count; i++)
            {
                var item = writes[i]!["PutRequest"]?["Item"];
                var key = item?["pk"]?["S"]?.GetValue<string>();
                if (i >= keepCount)
                {
                    refuse.Add(writes[i]);
                    continue;
                }

                if (key is not null && Options.HotKeys?.Invoke(key) == true)
                {
                    Stats.Add("hotkey");
                    refuse.Add(writes[i]);
                    continue;
                }

                if (bucket is not null && item is not null && !bucket.TryTake(WriteUnits(item)))
                {
                    Stats.Add("capacity:BatchWriteItem");
                    refuse.Add(writes[i]);
                    continue;
                }

                keep.Add(writes[i]);
            }

            if (partial && refuse.Count > 0)
            {
                Stats.Add("partial");
            }

            if (keep.Count > 0)
            {
                requestItems[table] = keep;
                forwardedAny = true;
            }
            else
            {
                requestItems.Remove(table);
            }

            if (refuse.Count > 0)
            {
                unprocessed[table] = refuse;
            }
        }

        if (!forwardedAny)
        {
            // DynamoDB answers a batch of which nothing could be written with a throttling error.
            Stats.Add("throttled:BatchWriteItem");
            await ThrottleAsync(context);
            return;
        }

        var (status, answer, headers) = await ForwardAsync(context, Encoding.UTF8.GetBytes(request.ToJsonString()));
        if (status != 200 || unprocessed.Count == 0)
        {
            await RespondAsync(context, status, answer, headers);
            return;
        }

        var response = JsonNode.Parse(answer)!.AsObject();
        var merged = response["UnprocessedItems"] as JsonObject ?? new JsonObject();
        foreach (var (table, refused) in unprocessed.ToList())
        {
            var list = merged[table] as JsonArray ?? new JsonArray();
            foreach (var write in refused!.AsArray().ToList())
            {
                list.Add(write!.DeepClone());
            }

            merged[table] = list;
        }

        response["UnprocessedItems"] = merged;
        await RespondAsync(context, 200, Encoding.UTF8.GetBytes(response.ToJsonString()), headers);
    }

    private async Task ScanAsync(HttpContext context, byte[] body)
    {
        var table = JsonNode.Parse(body)?["TableName"]?.GetValue<string>() ?? "";
        var bucket = Options.ReadCapacity.TryGetValue(table, out var rcu) ? _readBuckets.GetOrAdd(table, _ => new ProxyTokenBucket(rcu)) : null;
        if (bucket is not null && !bucket.HasAny())
        {
            Stats.Add("capacity:Scan");
            await ThrottleAsync(context);
            return;
        }

        var (status, answer, headers) = await ForwardAsync(context, body);
        if (bucket is not null && status == 200)
        {
            var consumed = JsonNode.Parse(answer)?["ConsumedCapacity"]?["CapacityUnits"]?.GetValue<double>() ?? 0;
            bucket.Charge(consumed);
        }

        await RespondAsync(context, status, answer, headers);
    }

    private async Task<(int Status, byte[] Body, Dictionary<string, string> Headers)> ForwardAsync(HttpContext context, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, context.Request.Path.Value ?? "/");
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType ?? "application/x-amz-json-1.0");
        foreach (var name in ForwardedHeaders)
        {
            if (context.Request.Headers.TryGetValue(name, out var value))
            {
                request.Headers.TryAddWithoutValidation(name, value.ToString());
            }
        }

        using var response = await _http.SendAsync(request);
        var answer = await response.Content.ReadAsByteArrayAsync();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers)
        {
            headers[name] = string.Join(",", values);
        }

        return ((int)response.StatusCode, answer, headers);
    }

    private static async Task RespondAsync(HttpContext context, int status, byte[] body, Dictionary<string, string> headers)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.0";
        context.Response.Headers["x-amzn-RequestId"] = headers.GetValueOrDefault("x-amzn-RequestId", Guid.NewGuid().ToString());
        context.Response.Headers["x-amz-crc32"] = Crc32.HashToUInt32(body).ToString(CultureInfo.InvariantCulture);
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body);
    }

    private static Task ThrottleAsync(HttpContext context) => ErrorAsync(context, 400, "ProvisionedThroughputExceededException",
        "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.");

    private static Task ErrorAsync(HttpContext context, int status, string type, string message, string prefix = ErrorPrefix)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["__type"] = prefix + type, ["message"] = message });
        return RespondAsync(context, status, body, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));
    }

    private static double WriteUnits(JsonNode item)
    {
        using var document = JsonDocument.Parse(item.ToJsonString());
        return ItemSize.WriteUnits(ItemSize.Of(DynamoDbJson.ReadItem(document.RootElement, "")));
    }

    private static bool Chance(double fraction) => fraction > 0 && Random.Shared.NextDouble() < fraction;
}
