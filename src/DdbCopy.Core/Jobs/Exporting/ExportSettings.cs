using DdbCopy.Core.Aws;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Sinks.Files;
using DdbCopy.Core.Storage;

namespace DdbCopy.Core.Jobs.Exporting;

/// <summary>Everything an export needs, already parsed and validated.</summary>
public sealed record ExportSettings
{
    public required SideSpec Source { get; init; }
    public required string SourceTable { get; init; }

    /// <summary>An empty local folder or S3 prefix.</summary>
    public required StorageLocation To { get; init; }

    /// <summary>How to reach S3 (endpoint, region, profile), when <see cref="To"/> is on S3.</summary>
    public required SideSpec S3 { get; init; }

    public long S3PartSizeBytes { get; init; } = FileStores.DefaultPartSizeBytes;
    public DataCompression Compression { get; init; } = DataCompression.Gzip;
    public long MaxFileBytes { get; init; } = ExportFileOptions.DefaultMaxFileBytes;
    public double ReadRatio { get; init; } = Capacity.ReadRequest.DefaultRatio;
    public double? ReadUnitsPerSecond { get; init; }
    public int? Segments { get; init; }

    /// <summary>An export in sections: this process writes every N-th segment's items under the one prefix (see <see cref="ExportSections"/>).</summary>
    public int TotalSections { get; init; } = 1;

    public int Section { get; init; }

    /// <summary>--rate: fixed, adaptive, or adaptive for an on-demand source (auto).</summary>
    public Capacity.RateMode Rate { get; init; } = Capacity.RateMode.Auto;
    public bool ConsistentScan { get; init; }
    public int MaxRetries { get; init; } = TransferOptions.DefaultMaxRetries;

    /// <summary>How long one request may wait for its answer (see <see cref="Aws.EndpointWatch"/>).</summary>
    public TimeSpan RequestTimeout { get; init; } = Aws.EndpointWatch.DefaultRequestTimeout;

    /// <summary>Where the job's checkpoint is kept; null for <see cref="Engine.Checkpoints.CheckpointFile.DefaultPath"/>.</summary>
    public string? CheckpointFile { get; init; }

    /// <summary>Continue the job from its checkpoint instead of starting from the beginning.</summary>
    public bool Resume { get; init; }

    /// <summary>Filter, projection, drops, renames, masks and a transform: what is done to items between reading and writing.</summary>
    public Shaping.ShapeSettings Shape { get; init; } = Shaping.ShapeSettings.None;

    /// <summary>Where items that cannot be shaped as asked go; null for <see cref="Engine.RejectFile.DefaultPath"/>.</summary>
    public string? RejectFile { get; init; }
}
