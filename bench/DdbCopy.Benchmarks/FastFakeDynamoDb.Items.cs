using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace DdbCopy.Benchmarks;

/// <summary>PutItem and DeleteItem, as a follower writes its changes: counted, and, when asked, when each key arrived.</summary>
internal sealed partial class FastFakeDynamoDb
{
    private long _singles;

    /// <summary>PutItem and DeleteItem calls answered.</summary>
    public long SingleWrites => Interlocked.Read(ref _singles);

    /// <summary>When asked for (not null), the Stopwatch time each key's last PutItem or DeleteItem arrived.</summary>
    public ConcurrentDictionary<string, long>? Arrivals { get; set; }

    private byte[] Single(byte[] body)
    {
        Interlocked.Increment(ref _singles);
        _seconds.Add(1);
        if (Arrivals is { } arrivals && Key(body) is { } key)
        {
            arrivals[key] = Stopwatch.GetTimestamp();
        }

        return "{\"ConsumedCapacity\":{\"TableName\":\"t\",\"CapacityUnits\":1.0}}"u8.ToArray();
    }

    /// <summary>Records the arrival of every key of a BatchWriteItem.</summary>
    private void Arrived(byte[] body)
    {
        var now = Stopwatch.GetTimestamp();
        var marker = "\"pk\":{\"S\":\""u8;
        var rest = body.AsSpan();
        var offset = 0;
        while (rest.IndexOf(marker) is var at and >= 0)
        {
            var start = at + marker.Length;
            var end = rest[start..].IndexOf((byte)'"');
            if (end < 0)
            {
                return;
            }

            Arrivals![Encoding.UTF8.GetString(body, offset + start, end)] = now;
            offset += start + end;
            rest = body.AsSpan(offset);
        }
    }

    /// <summary>The value of the string attribute pk in a request (its item or its key), read by the fake's own code.</summary>
    private static string? Key(byte[] body)
    {
        var marker = "\"pk\":{\"S\":\""u8;
        var at = body.AsSpan().IndexOf(marker);
        if (at < 0)
        {
            return null;
        }

        var start = at + marker.Length;
        var end = body.AsSpan(start).IndexOf((byte)'"');
        return end < 0 ? null : Encoding.UTF8.GetString(body, start, end);
    }
}
