using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using DdbCopy.TestSupport;
using Microsoft.AspNetCore.Http;

namespace DdbCopy.Benchmarks;

/// <summary>
/// An in-memory DynamoDB that answers at once, in the real wire format, to measure the client's own cost:
/// DescribeTable (any table: key pk, N items of ~1 KB), Scan (segment pages built once and replayed, only the
/// continuation key changes) and BatchWriteItem (counted and discarded). It does as little work as it can, because
/// it shares the machine's cores with the client it measures. <see cref="FakeOptions"/> add a round trip to every
/// call (a real DynamoDB answers in tens of milliseconds), make the tables on-demand, and enforce a write limit that
/// changes on a schedule (partial batches answered with UnprocessedItems, empty ones with a throttling error).
/// </summary>
internal sealed partial class FastFakeDynamoDb : IAsyncDisposable
{
    private const int ItemsPerFullPage = 1000;
    private WebApplication? _app;
    private readonly long _itemCount;
    private readonly int _itemBytes;
    private readonly Dictionary<int, byte[]> _pageItems = [];
    private readonly Lock _pagesLock = new();
    private long _written;

    private readonly bool _uniqueKeys;
    private readonly FakeOptions _options;

    private FastFakeDynamoDb(long itemCount, int itemBytes, bool uniqueKeys, FakeOptions options)
    {
        _itemCount = itemCount;
        _itemBytes = itemBytes;
        _uniqueKeys = uniqueKeys;
        _options = options;
    }

    /// <summary>The write limit, when the fake enforces one.</summary>
    public WriteLimit? Limit => _options.WriteLimit;

    public string Url { get; private set; } = "";

    public long Written => Interlocked.Read(ref _written);

    /// <summary>Items written in each second from the first write (without a write limit; with one, see <see cref="Limit"/>).</summary>
    public PerSecondCount WrittenPerSecond => _seconds;

    private readonly PerSecondCount _seconds = new();

    /// <param name="uniqueKeys">Every item of the table its own key (segment and position), as a verify needs; otherwise
    /// pages are replayed with the same keys, which costs the fake the least.</param>
    public static async Task<FastFakeDynamoDb> StartAsync(long itemCount, int itemBytes = 1000, bool uniqueKeys = false, FakeOptions? options = null)
    {
        var fake = new FastFakeDynamoDb(itemCount, itemBytes, uniqueKeys, options ?? new FakeOptions());
        (fake._app, fake.Url) = await LoopbackServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var body = await ReadBodyAsync(context.Request);
        if (_options.LatencyMs > 0)
        {
            // A round trip of the given length, give or take 30%.
            await Task.Delay(TimeSpan.FromMilliseconds(_options.LatencyMs * (0.7 + 0.6 * Random.Shared.NextDouble())));
        }

        if (target == "DynamoDB_20120810.BatchWriteItem" && _options.WriteLimit is { } limit)
        {
            await WriteWithinAsync(limit, body, context.Response);
            return;
        }

        byte[] answer = target switch
        {
            "DynamoDB_20120810.BatchWriteItem" => Write(body),
            "DynamoDB_20120810.Scan" => Scan(body),
            "DynamoDB_20120810.DescribeTable" => Describe(body),
            "DynamoDB_20120810.PutItem" or "DynamoDB_20120810.DeleteItem" => Single(body),
            _ => Encoding.UTF8.GetBytes("{\"__type\":\"com.amazonaws.dynamodb.v20120810#UnknownOperationException\"}"),
        };
        context.Response.StatusCode = target.EndsWith("Table", StringComparison.Ordinal) || target.EndsWith("Scan", StringComparison.Ordinal)
            || target.EndsWith("Item", StringComparison.Ordinal) ? 200 : 400;
        context.Response.ContentType = "application/x-amz-json-1.0";
        context.Response.ContentLength = answer.Length;
        await context.Response.Body.WriteAsync(answer);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream((int)(request.ContentLength ?? 4096));
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private byte[] Write(byte[] body)
    {
        var count = CountOccurrences(body, "\"PutRequest\""u8) + CountOccurrences(body, "\"DeleteRequest\""u8);
        if (Arrivals is not null)
        {
            Arrived(body);
        }

        Interlocked.Add(ref _written, count);
        _seconds.Add(count);
        var units = count * (long)Math.Max(1, (_itemBytes + 1023) / 1024);
        return Encoding.UTF8.GetBytes($"{{\"ConsumedCapacity\":[{{\"TableName\":\"t\",\"CapacityUnits\":{units}}}],\"UnprocessedItems\":{{}}}}");
    }

    /// <summary>Takes what the limit allows of the batch: the rest comes back as UnprocessedItems, nothing taken is a throttle.</summary>
    private async Task WriteWithinAsync(WriteLimit limit, byte[] body, HttpResponse response)
    {
        using var request = JsonDocument.Parse(body);
        var table = request.RootElement.GetProperty("RequestItems").EnumerateObject().First();
        var puts = table.Value.EnumerateArray().ToList();
        var taken = limit.Take(puts.Count);
        response.ContentType = "application/x-amz-json-1.0";
        if (taken == 0)
        {
            response.StatusCode = 400;
            await response.WriteAsync("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\"," +
                "\"message\":\"The level of configured provisioned throughput for the table was exceeded.\"}");
            return;
        }

        Interlocked.Add(ref _written, taken);
        var units = taken * (long)Math.Max(1, (_itemBytes + 1023) / 1024);
        var rest = string.Join(",", puts.Skip(taken).Select(p => p.GetRawText()));
        var unprocessed = taken == puts.Count ? "{}" : $"{{{JsonSerializer.Serialize(table.Name)}:[{rest}]}}";
        response.StatusCode = 200;
        await response.WriteAsync($"{{\"ConsumedCapacity\":[{{\"TableName\":\"t\",\"CapacityUnits\":{units}}}],\"UnprocessedItems\":{unprocessed}}}");
    }

    private byte[] Describe(byte[] body)
    {
        using var request = JsonDocument.Parse(body);
        var name = request.RootElement.GetProperty("TableName").GetString();
        var size = _itemCount * _itemBytes;
        return Encoding.UTF8.GetBytes(
            $"{{\"Table\":{{\"TableName\":\"{name}\",\"TableArn\":\"arn:aws:dynamodb:us-east-1:000000000000:table/{name}\",\"TableStatus\":\"ACTIVE\",\"ItemCount\":{_itemCount},\"TableSizeBytes\":{size}," +
            "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}]," +
            (_options.OnDemand
                ? "\"BillingModeSummary\":{\"BillingMode\":\"PAY_PER_REQUEST\"},\"ProvisionedThroughput\":{\"ReadCapacityUnits\":0,\"WriteCapacityUnits\":0,\"NumberOfDecreasesToday\":0}}}"
                : "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":1000000,\"WriteCapacityUnits\":1000000,\"NumberOfDecreasesToday\":0}}}"));
    }

    /// <summary>Segment s holds items s, s + total, s + 2 total ...; the continuation key is the position reached.</summary>
    private byte[] Scan(byte[] body)
    {
        using var request = JsonDocument.Parse(body);
        var root = request.RootElement;
        var segment = root.TryGetProperty("Segment", out var s) ? s.GetInt32() : 0;
        var total = root.TryGetProperty("TotalSegments", out var t) ? t.GetInt32() : 1;
        var limit = root.TryGetProperty("Limit", out var l) ? Math.Min(l.GetInt32(), ItemsPerFullPage) : ItemsPerFullPage;
        long start = root.TryGetProperty("ExclusiveStartKey", out var key)
            ? long.Parse(key.GetProperty("pk").GetProperty("S").GetString()!, CultureInfo.InvariantCulture)
            : 0;
        var inSegment = (_itemCount - segment + total - 1) / total;
        var count = (int)Math.Max(0, Math.Min(limit, inSegment - start));
        var next = start + count;
        var items = _uniqueKeys ? UniqueItems(segment, start, count) : PageItems(count);
        var units = Math.Ceiling(count * (double)_itemBytes / 4096) * 0.5;
        var tail = next < inSegment ? $",\"LastEvaluatedKey\":{{\"pk\":{{\"S\":\"{next}\"}}}}" : "";
        var head = Encoding.UTF8.GetBytes($"{{\"Count\":{count},\"ScannedCount\":{count},\"ConsumedCapacity\":{{\"TableName\":\"t\",\"CapacityUnits\":{units.ToString(CultureInfo.InvariantCulture)}}},\"Items\":[");
        var end = Encoding.UTF8.GetBytes("]" + tail + "}");
        var answer = new byte[head.Length + items.Length + end.Length];
        head.CopyTo(answer, 0);
        items.CopyTo(answer, head.Length);
        end.CopyTo(answer, head.Length + items.Length);
        return answer;
    }

    private byte[] UniqueItems(int segment, long start, int count)
    {
        var payload = new string('x', Math.Max(1, _itemBytes - 40));
        var text = new StringBuilder(count * (_itemBytes + 40));
        for (var i = 0; i < count; i++)
        {
            text.Append(i == 0 ? "" : ",").Append("{\"pk\":{\"S\":\"item-").Append(segment).Append('-').Append(start + i)
                .Append("\"},\"n\":{\"N\":\"").Append(start + i).Append("\"},\"payload\":{\"S\":\"").Append(payload).Append("\"}}");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private byte[] PageItems(int count)
    {
        lock (_pagesLock)
        {
            if (!_pageItems.TryGetValue(count, out var bytes))
            {
                var payload = new string('x', Math.Max(1, _itemBytes - 40));
                var text = new StringBuilder();
                for (var i = 0; i < count; i++)
                {
                    text.Append(i == 0 ? "" : ",").Append("{\"pk\":{\"S\":\"item-").Append(i.ToString("D7", CultureInfo.InvariantCulture))
                        .Append("\"},\"n\":{\"N\":\"").Append(i).Append("\"},\"payload\":{\"S\":\"").Append(payload).Append("\"}}");
                }

                bytes = Encoding.UTF8.GetBytes(text.ToString());
                _pageItems[count] = bytes;
            }

            return bytes;
        }
    }

    private static int CountOccurrences(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle)
    {
        var count = 0;
        int at;
        while ((at = haystack.IndexOf(needle)) >= 0)
        {
            count++;
            haystack = haystack[(at + needle.Length)..];
        }

        return count;
    }
}

/// <summary>How the fake behaves beyond answering at once.</summary>
/// <param name="LatencyMs">Every call answered after this many milliseconds, give or take 30% (0: at once).</param>
/// <param name="OnDemand">Every table PAY_PER_REQUEST (ddbcopy's rate then adapts by default).</param>
/// <param name="WriteLimit">A write limit enforced but not announced, or null for none.</param>
internal sealed record FakeOptions(double LatencyMs = 0, bool OnDemand = false, WriteLimit? WriteLimit = null);
