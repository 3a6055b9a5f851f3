using DdbCopy.Core.Aws;

namespace DdbCopy.Core.Jobs.Copying;

/// <summary>Everything a table-to-table copy needs, already parsed and validated by the caller.</summary>
public sealed record CopySettings
{
    public const double DefaultReadRatio = Capacity.ReadRequest.DefaultRatio;
    public const double DefaultWriteRatio = Capacity.WriteSettings.DefaultRatio;
    public const int DefaultMaxRetries = Engine.TransferOptions.DefaultMaxRetries;

    public required SideSpec Source { get; init; }
    public required string SourceTable { get; init; }
    public required SideSpec Destination { get; init; }
    public required string DestinationTable { get; init; }

    /// <summary>Fraction of the source's provisioned RCU to use (ignored when <see cref="ReadUnitsPerSecond"/> is set).</summary>
    public double ReadRatio { get; init; } = DefaultReadRatio;

    /// <summary>Absolute read budget for the whole job, in RCU per second.</summary>
    public double? ReadUnitsPerSecond { get; init; }

    /// <summary>The write budget, rate mode, writers and dead-letter file.</summary>
    public Capacity.WriteSettings Write { get; init; } = new();

    /// <summary>--rate: fixed, adaptive, or adaptive for on-demand sides only (auto); the reads follow the writes' mode.</summary>
    public Capacity.RateMode Rate => Write.Rate;
    public int TotalSections { get; init; } = 1;

    /// <summary>This process's section: 0 to <see cref="TotalSections"/> - 1, or <see cref="TotalSections"/> for a followed copy's follower.</summary>
    public int Section { get; init; }

    /// <summary>A followed copy in sections (--follow --totalSections N) runs a follower as section N (--section follow).</summary>
    public bool IsFollower => Follow is not null && TotalSections > 1 && Section == TotalSections;

    /// <summary>Where <see cref="Section"/> came from, for the log: --section, or an orchestrator's environment variable.</summary>
    public string SectionFrom { get; init; } = "--section";
    public int? Segments { get; init; }
    public bool ConsistentScan { get; init; }
    public int MaxRetries { get; init; } = DefaultMaxRetries;

    /// <summary>How long one request may wait for its answer (see <see cref="Aws.EndpointWatch"/>).</summary>
    public TimeSpan RequestTimeout { get; init; } = Aws.EndpointWatch.DefaultRequestTimeout;

    /// <summary>Create the destination from the source's definition (or <see cref="SchemaFile"/>) when it does not exist.</summary>
    public bool CreateDestination { get; init; }

    /// <summary>Delete the destination and create it again from the source's definition before copying (the caller confirms).</summary>
    public bool RecreateDestination { get; init; }

    /// <summary>Raise the destination's WCU to this for the copy (indexes in proportion), and restore it afterwards.</summary>
    public long? BoostWriteCapacity { get; init; }

    /// <summary>A definition from `ddbcopy schema export` to create the destination from, instead of the source's.</summary>
    public string? SchemaFile { get; init; }

    /// <summary>Changes to the definition when the destination is created.</summary>
    public Schema.CreateOverrides Overrides { get; init; } = Schema.CreateOverrides.None;

    /// <summary>On-demand prices (USD per million read / write request units) for --dryRun's cost, instead of ddbcopy's table.</summary>
    public double? ReadRequestPrice { get; init; }

    public double? WriteRequestPrice { get; init; }

    /// <summary>Where the job's checkpoint is kept; null for <see cref="Engine.Checkpoints.CheckpointFile.DefaultPath"/>.</summary>
    public string? CheckpointFile { get; init; }

    /// <summary>Where S3 is, and whose credentials, for a checkpoint in S3 (--s3Endpoint, --s3Region, --s3Profile).</summary>
    public SideSpec? S3 { get; init; }

    /// <summary>--checkpointFile as given, {section} not replaced: where a followed copy's follower finds each section's checkpoint.</summary>
    public string? CheckpointTemplate { get; init; }

    /// <summary>Continue the job from its checkpoint instead of starting from the beginning.</summary>
    public bool Resume { get; init; }

    /// <summary>--follow: after the bulk copy, apply the source's stream; null without.</summary>
    public FollowSettings? Follow { get; init; }

    /// <summary>Filter, projection, drops, renames, masks and a transform: what is done to items between reading and writing.</summary>
    public Shaping.ShapeSettings Shape { get; init; } = Shaping.ShapeSettings.None;

    /// <summary>Where items that cannot be shaped as asked go; null for <see cref="Engine.RejectFile.DefaultPath"/>.</summary>
    public string? RejectFile { get; init; }

    /// <summary>--dryRun --preview N: show the first N items as they would be written.</summary>
    public int? Preview { get; init; }

    /// <summary>The reading side's request to the capacity planner.</summary>
    public Capacity.ReadRequest ReadRequest => new(ReadRatio, ReadUnitsPerSecond, Segments, ConsistentScan, TotalSections, Section);

    /// <summary>The writing side's request to the capacity planner.</summary>
    public Capacity.WriteRequest WriteRequest => Write.Request;
}
