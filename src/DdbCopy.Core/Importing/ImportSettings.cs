using DdbCopy.Core.Aws;
using DdbCopy.Core.Copying;

namespace DdbCopy.Core.Importing;

/// <summary>Everything an import of a DynamoDB JSON lines file needs, already parsed and validated.</summary>
public sealed record ImportSettings
{
    /// <summary>A file of DynamoDB JSON lines (plain or gzip), such as a dead-letter file.</summary>
    public required string From { get; init; }
    public required SideSpec Destination { get; init; }
    public required string DestinationTable { get; init; }
    public double WriteRatio { get; init; } = CopySettings.DefaultWriteRatio;
    public double? WriteUnitsPerSecond { get; init; }
    public int? MaxWriteThreads { get; init; }
    public int MaxRetries { get; init; } = CopySettings.DefaultMaxRetries;
    public string? DeadLetterFile { get; init; }
}
