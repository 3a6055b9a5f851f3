namespace DdbCopy.Core.Engine;

/// <summary>Tuning that is not part of the plan: retries, backoff and how often progress is reported.</summary>
public sealed record TransferOptions
{
    /// <summary>Retries of a request that makes no progress (--maxRetries).</summary>
    public const int DefaultMaxRetries = 10;

    public string SourceTable { get; init; } = "source";
    public string DestinationTable { get; init; } = "destination";
    public int MaxRetries { get; init; } = DefaultMaxRetries;
    public TimeSpan? RetryBaseDelay { get; init; }
    public TimeSpan? RetryMaxDelay { get; init; }
    /// <summary>How often the observer is told the counts (it decides what to print).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>
    /// Segments scanned at once. Each holds a page of up to 1 MB (parsed, a few MB of objects) while the write queue is
    /// full: 4 keeps the native build under 100 MB and was faster than 8 on 2 cores (bench/README.md); against real
    /// DynamoDB, 4 pages in flight read more items a second than a typical write budget takes.
    /// </summary>
    public int MaxConcurrentSegments { get; init; } = 4;
}
