using DdbCopy.Core.Aws;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Sources.Files;
using DdbCopy.Core.Sources;
using DdbCopy.Core.Storage;

namespace DdbCopy.Core.Jobs.Importing;

/// <summary>Everything an import needs, already parsed and validated.</summary>
public sealed record ImportSettings
{
    /// <summary>A file, a folder or an S3 prefix (an export, or data files).</summary>
    public required StorageLocation From { get; init; }

    /// <summary>How to reach S3 when <see cref="From"/> is on S3.</summary>
    public required SideSpec S3 { get; init; }
    public required SideSpec Destination { get; init; }
    public required string DestinationTable { get; init; }
    public ImportFormat Format { get; init; } = ImportFormat.Auto;
    public CsvMapping Csv { get; init; } = new();

    /// <summary>Stop at the first record that is not a valid item, instead of rejecting it and going on.</summary>
    public bool FailFast { get; init; }

    /// <summary>Import the data files of an export that never wrote its manifest (it was stopped or failed).</summary>
    public bool AllowIncompleteExport { get; init; }

    /// <summary>Where rejected records go; null for <see cref="Engine.RejectFile.DefaultPath"/>.</summary>
    public string? RejectFile { get; init; }

    /// <summary>Create the destination when it does not exist, from <see cref="SchemaFile"/> or the export's schema sidecar.</summary>
    public bool CreateDestination { get; init; }
    public string? SchemaFile { get; init; }
    public Schema.CreateOverrides Overrides { get; init; } = Schema.CreateOverrides.None;

    /// <summary>The write budget, rate mode, writers and dead-letter file.</summary>
    public Capacity.WriteSettings Write { get; init; } = new();

    public int MaxRetries { get; init; } = TransferOptions.DefaultMaxRetries;

    /// <summary>How long one request may wait for its answer (see <see cref="Aws.EndpointWatch"/>).</summary>
    public TimeSpan RequestTimeout { get; init; } = Aws.EndpointWatch.DefaultRequestTimeout;

    /// <summary>Where the job's checkpoint is kept; null for <see cref="Engine.Checkpoints.CheckpointFile.DefaultPath"/>.</summary>
    public string? CheckpointFile { get; init; }

    /// <summary>Continue the job from its checkpoint instead of starting from the beginning.</summary>
    public bool Resume { get; init; }

    /// <summary>An import in sections: this process imports every N-th data file (each section with its own checkpoint).</summary>
    public int TotalSections { get; init; } = 1;

    public int Section { get; init; }

    /// <summary>Filter, projection, drops, renames, masks and a transform: what is done to items between reading and writing.</summary>
    public Shaping.ShapeSettings Shape { get; init; } = Shaping.ShapeSettings.None;

    /// <summary>With --from mysql://...: what to read from the database, and how.</summary>
    public Sources.MySql.MySqlReadSettings? MySql { get; init; }
}
