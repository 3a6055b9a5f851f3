using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DdbCopy.TestSupport.Faults;

/// <summary>
/// A DynamoDB proxy on 127.0.0.1 that forwards to a real endpoint (DynamoDB Local) and injects the faults a real
/// DynamoDB shows: throttling with the real error shape, partial batches (UnprocessedItems), 500/503, connection
/// resets, latency, keys that never get written (a hot partition), and a provisioned-capacity budget per table
/// computed from item sizes; and, on every call (DescribeTable, CreateTable, UpdateTable, waits), throttling, 500s,
/// answers lost after the call was applied, an endpoint that never answers and one that refuses connections. Every
/// answer it makes up carries an x-amz-crc32 header, as DynamoDB's do. Its faults are drawn from a seeded random
/// generator (<see cref="Seed"/>; set DDBCOPY_FAULT_SEED to replay a run), and it sizes items and counts capacity with
/// its own code (<see cref="ProxyItemSize"/>).
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private const string ErrorPrefix = "com.amazonaws.dynamodb.v20120810#";
    private const string LoseAnswer = "ddbcopy-proxy-lose-answer";
    private const string Arrived = "ddbcopy-proxy-arrived";
    private const string Operation = "ddbcopy-proxy-operation";
    private static readonly string[] ForwardedHeaders = ["Authorization", "X-Amz-Date", "X-Amz-Target", "X-Amz-Security-Token", "amz-sdk-invocation-id", "amz-sdk-request"];

    private readonly HttpClient _http;
    private readonly Random _random;
    private readonly ConcurrentDictionary<string, bool> _answersLost = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _firstThrottled = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(long Timestamp, double Units)> _writes = new();
    private readonly ConcurrentQueue<(long Sent, long Answered)> _upstreamWrites = new();
    private readonly ConcurrentQueue<(string Operation, long Timestamp)> _arrivals = new();
    private readonly ConcurrentQueue<(long Timestamp, double Units)> _reads = new();
    private WebApplication? _app;
    private readonly ConcurrentDictionary<string, ProxyTokenBucket> _writeBuckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ProxyTokenBucket> _readBuckets = new(StringComparer.Ordinal);

    private FaultProxy(Uri target, int seed)
    {
        _http = new HttpClient { BaseAddress = target, Timeout = TimeSpan.FromSeconds(60) };
        Seed = seed;
        _random = new Random(seed);
    }

    /// <summary>The seed of the faults' random generator: print it with a failure; DDBCOPY_FAULT_SEED replays it.</summary>
    public int Seed { get; }

    public FaultOptions Options { get; } = new();

    public ProxyStats Stats { get; } = new();

    /// <summary>The seed and what the proxy saw: for a test's output.</summary>
    public override string ToString() => $"seed {Seed} (DDBCOPY_FAULT_SEED={Seed} replays it): {Stats}";

    public string Url { get; private set; } = "";

    /// <summary>
    /// Times the proxy could not serve requests on time for more than 100 ms, as (start, length): its whole process
    /// stalled, or its thread pool (where Kestrel runs the handlers) was starved.
    /// </summary>
    public IReadOnlyList<(long Start, TimeSpan Length)> OwnStalls => _stalls.ToList();

    private readonly ConcurrentQueue<(long Start, TimeSpan Length)> _stalls = new();
    private Thread? _heartbeat;
    private volatile bool _stopped;

    private void StartHeartbeat()
    {
        _heartbeat = new Thread(() =>
        {
            var last = System.Diagnostics.Stopwatch.GetTimestamp();
            while (!_stopped)
            {
                Thread.Sleep(10);
                var now = System.Diagnostics.Stopwatch.GetTimestamp();
                var gap = System.Diagnostics.Stopwatch.GetElapsedTime(last, now);
                if (gap > TimeSpan.FromMilliseconds(100))
                {
                    _stalls.Enqueue((last, gap));
                }

                last = now;
            }
        }) { IsBackground = true, Priority = ThreadPriority.Highest, Name = "proxy heartbeat" };
        _heartbeat.Start();
        _ = Task.Run(async () =>
        {
            // The same, as seen from the thread pool: a starved pool delays the handlers too.
            var last = System.Diagnostics.Stopwatch.GetTimestamp();
            while (!_stopped)
            {
                await Task.Delay(10);
                var now = System.Diagnostics.Stopwatch.GetTimestamp();
                var gap = System.Diagnostics.Stopwatch.GetElapsedTime(last, now);
                if (gap > TimeSpan.FromMilliseconds(100))
                {
                    _stalls.Enqueue((last, gap));
                }

                last = now;
            }
        });
    }

    public static async Task<FaultProxy> StartAsync(string target, int? seed = null)
    {
        // Kestrel runs the handlers on the test host's thread pool: enough threads from the start, so a burst of
        // requests is not queued behind the pool's slow growth (which would bunch their arrival times).
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
        var chosen = seed
            ?? (int.TryParse(Environment.GetEnvironmentVariable("DDBCOPY_FAULT_SEED"), CultureInfo.InvariantCulture, out var fixedSeed)
                ? fixedSeed
                : Random.Shared.Next());
        var proxy = new FaultProxy(new Uri(target), chosen);
        (proxy._app, proxy.Url) = await LoopbackServer.StartAsync(proxy.HandleAsync);
        proxy.StartHeartbeat();
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        _stopped = true;
        await StopListeningAsync();
        _http.Dispose();
    }

    /// <summary>Closes the port: from now on connections are refused, as when a server or its network is gone.</summary>
    public async Task StopListeningAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            using var quickly = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await app.StopAsync(quickly.Token);
            await app.DisposeAsync();
        }
    }

    /// <summary>
    /// The most write capacity units (counted by the proxy from the items it forwarded, at the time each request
    /// arrived) in any window of this length. Requests that arrived during a stall of the proxy's own process or in the
    /// second after it are left out: they queued up while the proxy could not run, so their arrival times say nothing of
    /// when the client sent them.
    /// </summary>
    public double MaxWriteUnitsIn(TimeSpan window) => MaxIn(_writes, window);

    /// <summary>The most read capacity units (counted by the proxy from the items it returned) in any window of this length (see <see cref="MaxWriteUnitsIn"/>).</summary>
    public double MaxReadUnitsIn(TimeSpan window) => MaxIn(_reads, window);

    /// <summary>Write units per 100 ms from the first write on, for a test's output.</summary>
    public string WriteTimeline()
    {
        var list = _writes.OrderBy(e => e.Timestamp).ToList();
        if (list.Count == 0)
        {
            return "";
        }

        var start = list[0].Timestamp;
        return string.Join(" ", list.GroupBy(e => (int)(System.Diagnostics.Stopwatch.GetElapsedTime(start, e.Timestamp).TotalMilliseconds / 100))
            .Select(g => $"{g.Key / 10.0:0.0}:{g.Sum(e => e.Units)}"));
    }

    /// <summary>Write units forwarded for requests that arrived between two <see cref="System.Diagnostics.Stopwatch"/> timestamps.</summary>
    public double WriteUnitsBetween(long from, long to) => _writes.Where(e => e.Timestamp >= from && e.Timestamp < to).Sum(e => e.Units);

    /// <summary>When each request of one operation (DeleteItem, PutItem, ...) arrived, as <see cref="System.Diagnostics.Stopwatch"/> timestamps, in order.</summary>
    public IReadOnlyList<long> ArrivalsOf(string operation) =>
        _arrivals.Where(a => a.Operation == operation).Select(a => a.Timestamp).Order().ToList();

    /// <summary>Write units forwarded in all, and the time from the first forwarded write to the last.</summary>
    public (double Units, TimeSpan Span) Writes() => Total(_writes);

    /// <summary>Read units returned in all, and the time from the first scan page to the last.</summary>
    public (double Units, TimeSpan Span) Reads() => Total(_reads);

    private double MaxIn(ConcurrentQueue<(long Timestamp, double Units)> events, TimeSpan window)
    {
        var stalls = _stalls.Select(s => (From: s.Start, To: s.Start + (long)((s.Length + TimeSpan.FromSeconds(1)).TotalSeconds * System.Diagnostics.Stopwatch.Frequency)))
            .ToList();
        var list = events.Where(e => !stalls.Any(s => e.Timestamp >= s.From && e.Timestamp <= s.To)).OrderBy(e => e.Timestamp).ToList();
        var width = (long)(window.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        double max = 0, sum = 0;
        var start = 0;
        for (var end = 0; end < list.Count; end++)
        {
            sum += list[end].Units;
            while (list[end].Timestamp - list[start].Timestamp >= width)
            {
                sum -= list[start++].Units;
            }

            max = Math.Max(max, sum);
        }

        return max;
    }

    private static (double Units, TimeSpan Span) Total(ConcurrentQueue<(long Timestamp, double Units)> events)
    {
        var list = events.ToList();
        return list.Count == 0
            ? (0, TimeSpan.Zero)
            : (list.Sum(e => e.Units), System.Diagnostics.Stopwatch.GetElapsedTime(list.Min(e => e.Timestamp), list.Max(e => e.Timestamp)));
    }

    private async Task HandleAsync(HttpContext context)
    {
        context.Items[Arrived] = System.Diagnostics.Stopwatch.GetTimestamp();
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var operation = target.Contains('.', StringComparison.Ordinal) ? target[(target.LastIndexOf('.') + 1)..] : target;
        Stats.Add(operation);
        _arrivals.Enqueue((operation, (long)context.Items[Arrived]!));
        if (Options.Blackhole)
        {
            Stats.Add("blackhole");
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }

            return;
        }

        if (Options.Latency > TimeSpan.Zero)
        {
            await Task.Delay(Options.Latency);
        }

        context.Items[Operation] = operation;
        if (Chance(Options.LostAnswers))
        {
            context.Items[LoseAnswer] = operation;
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
            var unavailable = Next(0, 2) == 0;
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
                if (operation == "GetRecords" && Options.FailGetRecordsWith is { } streamError)
                {
                    Stats.Add(streamError + ":GetRecords");
                    await ErrorAsync(context, 400, streamError, "The operation attempted to read past the oldest stream record in a shard.");
                    return;
                }

                if ((Options.ThrottleFirstCallTo.Contains(operation) && _firstThrottled.TryAdd(operation, true)) || Chance(Options.ControlPlaneThrottles))
                {
                    var code = Chance(0.5) ? "LimitExceededException" : "ThrottlingException";
                    Stats.Add("throttled:" + operation);
                    await ErrorAsync(context, 400, code, "Rate of requests exceeds the allowed throughput.");
                    return;
                }

                if (Chance(Options.ControlPlaneErrors))
                {
                    Stats.Add("500:" + operation);
                    await ErrorAsync(context, 500, "InternalServerError", "The server encountered an internal error trying to fulfill the request.",
                        "com.amazon.coral.service#");
                    return;
                }

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
        double forwardedUnits = 0;
        foreach (var (table, node) in requestItems.ToList())
        {
            var writes = node!.AsArray().Select(w => w!.DeepClone()).ToList();
            var keep = new JsonArray();
            var refuse = new JsonArray();
            var keepCount = partial && writes.Count > 1 ? Next(1, writes.Count) : writes.Count;
            var bucket = Options.WriteCapacity.TryGetValue(table, out var wcu) ? _writeBuckets.GetOrAdd(table, _ => new ProxyTokenBucket(wcu)) : null;
            bucket?.SetRate(wcu);
            var refusedForCapacity = false;
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

                var units = item is JsonObject itemObject ? ProxyItemSize.WriteUnits(itemObject) : 1;
                if (bucket is not null && !bucket.TryTake(units))
                {
                    Stats.Add("capacity:BatchWriteItem");
                    if (!refusedForCapacity)
                    {
                        refusedForCapacity = true;
                        Stats.Add("capacityRequests:BatchWriteItem"); // requests of which the capacity refused any item
                    }

                    refuse.Add(writes[i]);
                    continue;
                }

                forwardedUnits += units;
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

        var (status, answer, headers) = Options.AnswerWritesItself
            ? (200, Encoding.UTF8.GetBytes(new JsonObject
            {
                ["UnprocessedItems"] = new JsonObject(),
                ["ConsumedCapacity"] = new JsonArray(requestItems.Select(t => (JsonNode)new JsonObject { ["TableName"] = t.Key, ["CapacityUnits"] = forwardedUnits }).ToArray()),
            }.ToJsonString()), new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase))
            : await ForwardTimedAsync(context, Encoding.UTF8.GetBytes(request.ToJsonString()));
        if (status == 200)
        {
            _writes.Enqueue(((long)context.Items[Arrived]!, forwardedUnits));
        }

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
        var scan = JsonNode.Parse(body);
        var table = scan?["TableName"]?.GetValue<string>() ?? "";
        var consistent = scan?["ConsistentRead"]?.GetValue<bool>() == true;
        var bucket = Options.ReadCapacity.TryGetValue(table, out var rcu) ? _readBuckets.GetOrAdd(table, _ => new ProxyTokenBucket(rcu)) : null;
        bucket?.SetRate(rcu);
        if (bucket is not null && !bucket.HasAny())
        {
            Stats.Add("capacity:Scan");
            await ThrottleAsync(context);
            return;
        }

        var (status, answer, headers) = await ForwardAsync(context, body);
        if (status == 200 && JsonNode.Parse(answer)?["Items"] is JsonArray items)
        {
            // A scan costs 0.5 RCU (1 if consistent) per started 4 KB of all the items it returned together.
            var bytes = items.Sum(i => i is JsonObject o ? ProxyItemSize.Of(o) : 0);
            Stats.Add("items:Scan", items.Count);
            _reads.Enqueue(((long)context.Items[Arrived]!, Math.Max(1, (bytes + 4095) / 4096) * (consistent ? 1.0 : 0.5)));
        }

        if (bucket is not null && status == 200)
        {
            var consumed = JsonNode.Parse(answer)?["ConsumedCapacity"]?["CapacityUnits"]?.GetValue<double>() ?? 0;
            bucket.Charge(consumed);
        }

        await RespondAsync(context, status, answer, headers);
    }

    /// <summary>Forwards a write and notes how long the server behind took to answer it.</summary>
    private async Task<(int Status, byte[] Body, Dictionary<string, string> Headers)> ForwardTimedAsync(HttpContext context, byte[] body)
    {
        var sent = System.Diagnostics.Stopwatch.GetTimestamp();
        var answer = await ForwardAsync(context, body);
        _upstreamWrites.Enqueue((sent, System.Diagnostics.Stopwatch.GetTimestamp()));
        return answer;
    }

    /// <summary>
    /// How long the server behind the proxy held writes: the time in which some forwarded write had been waiting for its
    /// answer longer than <paramref name="normal"/> (the union of those stretches). A client that keeps a few writes in
    /// flight waits that long for the server, whatever its pacing; a test of pacing against a real server allows for it.
    /// </summary>
    public TimeSpan ServerHeldWrites(TimeSpan normal)
    {
        var over = (long)(normal.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        var stretches = _upstreamWrites.Where(w => w.Answered - w.Sent > over).Select(w => (From: w.Sent + over, To: w.Answered)).OrderBy(w => w.From);
        long total = 0, end = long.MinValue;
        foreach (var (from, to) in stretches)
        {
            var start = Math.Max(from, end);
            if (to > start)
            {
                total += to - start;
                end = to;
            }
        }

        return TimeSpan.FromSeconds((double)total / System.Diagnostics.Stopwatch.Frequency);
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

    private async Task RespondAsync(HttpContext context, int status, byte[] body, Dictionary<string, string> headers)
    {
        var operation = context.Items[Operation] as string ?? "";
        if (status == 200 && (context.Items.TryGetValue(LoseAnswer, out var lost)
                              || (Options.LoseFirstAnswerTo.Contains(operation) && _answersLost.TryAdd(operation, true) && (lost = operation) is not null)))
        {
            // The server applied the call; the client never hears of it.
            Stats.Add($"lost:{lost}");
            context.Abort();
            return;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.0";
        context.Response.Headers["x-amzn-RequestId"] = headers.GetValueOrDefault("x-amzn-RequestId", Guid.NewGuid().ToString());
        context.Response.Headers["x-amz-crc32"] = Crc32.HashToUInt32(body).ToString(CultureInfo.InvariantCulture);
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body);
    }

    private Task ThrottleAsync(HttpContext context) => ErrorAsync(context, 400, "ProvisionedThroughputExceededException",
        "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.");

    private Task ErrorAsync(HttpContext context, int status, string type, string message, string prefix = ErrorPrefix)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["__type"] = prefix + type, ["message"] = message });
        return RespondAsync(context, status, body, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));
    }

    private bool Chance(double fraction)
    {
        if (fraction <= 0)
        {
            return false;
        }

        lock (_random)
        {
            return _random.NextDouble() < fraction;
        }
    }

    private int Next(int min, int max)
    {
        lock (_random)
        {
            return _random.Next(min, max);
        }
    }
}
