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
}
