using DdbCopy.Core.Aws;
using DdbCopy.Core.Engine;

namespace DdbCopy.Core.Jobs.Generating;

/// <summary>Everything `ddbcopy generate` needs, already parsed and validated.</summary>
public sealed record GenerateSettings
{
    public required SideSpec Side { get; init; }
    public required string Table { get; init; }

    /// <summary>Items to write first (keys 0 to N-1).</summary>
    public long Items { get; init; } = 1000;

    /// <summary>About how large each item is, in bytes.</summary>
    public int ItemBytes { get; init; } = 1000;

    /// <summary>Items of every attribute type, instead of a key and a payload.</summary>
    public bool Rich { get; init; }

    /// <summary>After the fill: new versions of random items per second, for <see cref="Duration"/>.</summary>
    public double UpdatesPerSecond { get; init; }

    /// <summary>After the fill: random items deleted per second, for <see cref="Duration"/>.</summary>
    public double DeletesPerSecond { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>An attribute that every update sets to the time of the change (for last-writer-wins tests).</summary>
    public string? ConflictAttribute { get; init; }

    /// <summary>Seeds the choice of items to change, so a run can be repeated; null for a random seed (logged).</summary>
    public int? Seed { get; init; }

    /// <summary>The write budget, writers and dead-letter file (the rate is fixed).</summary>
    public Capacity.WriteSettings Write { get; init; } = new();

    public int MaxRetries { get; init; } = TransferOptions.DefaultMaxRetries;
    public TimeSpan RequestTimeout { get; init; } = EndpointWatch.DefaultRequestTimeout;
}
