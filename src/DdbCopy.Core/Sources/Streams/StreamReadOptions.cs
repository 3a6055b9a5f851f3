namespace DdbCopy.Core.Sources.Streams;

/// <summary>Timing of a stream reader; the defaults keep within DynamoDB Streams' limits (5 GetRecords per second per shard).</summary>
public sealed record StreamReadOptions
{
    public int RecordsPerCall { get; init; } = 1000;

    /// <summary>The least time between two GetRecords of one shard.</summary>
    public TimeSpan MinCallInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a shard with nothing new waits before it asks again.</summary>
    public TimeSpan IdlePollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the shard list is read again (and at once when a shard closes).</summary>
    public TimeSpan DiscoverInterval { get; init; } = TimeSpan.FromSeconds(10);
}
