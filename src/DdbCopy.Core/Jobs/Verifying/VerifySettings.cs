using DdbCopy.Core.Aws;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Storage;

namespace DdbCopy.Core.Jobs.Verifying;

/// <summary>Everything a verify needs, already parsed and validated: a source table or an export, and a destination table.</summary>
public sealed record VerifySettings
{
    public required SideSpec Source { get; init; }

    /// <summary>The source table; null when <see cref="From"/> names an export instead.</summary>
    public string? SourceTable { get; init; }

    /// <summary>An export (folder or S3 prefix) to compare the destination with, instead of a source table.</summary>
    public StorageLocation? From { get; init; }

    public required SideSpec S3 { get; init; }
    public required SideSpec Destination { get; init; }
    public required string DestinationTable { get; init; }

    /// <summary>Fraction of each table's read capacity to use (each side's own).</summary>
    public double ReadRatio { get; init; } = Capacity.ReadRequest.DefaultRatio;

    /// <summary>Absolute read budget per side, in RCU per second.</summary>
    public double? ReadUnitsPerSecond { get; init; }

    public int? Segments { get; init; }
    public bool ConsistentScan { get; init; }
    public int MaxRetries { get; init; } = TransferOptions.DefaultMaxRetries;
    public TimeSpan RequestTimeout { get; init; } = EndpointWatch.DefaultRequestTimeout;

    /// <summary>Where the keys that differ go; null for <see cref="DiffFile.DefaultPath"/>.</summary>
    public string? DiffFile { get; init; }

    /// <summary>Write the missing and differing items from the source, then verify again.</summary>
    public bool Repair { get; init; }

    /// <summary>With <see cref="Repair"/>: delete the destination's items that the source does not have.</summary>
    public bool DeleteExtra { get; init; }

    /// <summary>With <see cref="Repair"/>: the write budget, writers and dead-letter file (the rate is fixed).</summary>
    public Capacity.WriteSettings Write { get; init; } = new();
}
