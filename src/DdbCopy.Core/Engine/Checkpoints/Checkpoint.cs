using System.Text.Json;
using System.Text.Json.Serialization;
using DdbCopy.Core.Formats;

namespace DdbCopy.Core.Engine.Checkpoints;

/// <summary>
/// What a checkpoint file holds (format version 1): which job it belongs to, how far each lane is settled, what the
/// settled part came to, and (export) the data files committed. Written by <see cref="CheckpointFile"/>.
/// </summary>
public sealed record Checkpoint
{
    public const string FormatName = "ddbcopy-checkpoint";
    public const int CurrentVersion = 1;

    public string Format { get; init; } = FormatName;
    public int Version { get; init; } = CurrentVersion;
    public required JobIdentity Job { get; init; }
    public CheckpointState State { get; init; }
    public DateTimeOffset Started { get; init; }
    public DateTimeOffset Updated { get; init; }

    /// <summary>How many runs worked on the job (1, then one more per resume).</summary>
    public int Runs { get; init; } = 1;

    public CheckpointTotals Totals { get; init; } = new();
    public IReadOnlyList<LaneCheckpoint> Lanes { get; init; } = [];

    /// <summary>Export: the data files committed so far, as the file manifest lists them.</summary>
    public IReadOnlyList<ManifestFile>? Files { get; init; }

    /// <summary>Where the job records items it could not write (a resumed run appends to the same file).</summary>
    public string? DeadLetterFile { get; init; }

    /// <summary>Import: where the job records rejected input records.</summary>
    public string? RejectFile { get; init; }

    /// <summary>
    /// The destination's capacity before --boostWriteCapacity raised it, until it is restored: a run killed while the
    /// table was boosted leaves it here, and the resumed run restores it at its end.
    /// </summary>
    public CapacityRecord? BoostedFrom { get; init; }

    /// <summary>
    /// The parts source kinds keep (see <see cref="CheckpointPart{T}"/>): by name, each a top-level property of the file
    /// written after the others ("follow": a stream's shards and spool; "incremental": a database's polling mark).
    /// </summary>
    /// <remarks>Settable, not init-only: System.Text.Json binds extension data only to a settable property. Never set after creation.</remarks>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Parts { get; set; }
}

/// <summary>A table's provisioned capacity, and its global indexes'.</summary>
public sealed record CapacityRecord(long ReadCapacityUnits, long WriteCapacityUnits, IReadOnlyList<IndexCapacityRecord> Indexes)
{
    public static CapacityRecord Of(Capacity.CapacitySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new(snapshot.ReadCapacityUnits, snapshot.WriteCapacityUnits,
            snapshot.Indexes.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => new IndexCapacityRecord(i.Key, i.Value.Read, i.Value.Write)).ToList());
    }

    public Capacity.CapacitySnapshot ToSnapshot() =>
        new(ReadCapacityUnits, WriteCapacityUnits, Indexes.ToDictionary(i => i.IndexName, i => (i.ReadCapacityUnits, i.WriteCapacityUnits)));
}

public sealed record IndexCapacityRecord(string IndexName, long ReadCapacityUnits, long WriteCapacityUnits);

public enum CheckpointState
{
    /// <summary>Saved while the run was going (a crash or a kill leaves this).</summary>
    [JsonStringEnumMemberName("running")]
    Running,

    /// <summary>Stopped by the user (Ctrl+C, SIGTERM).</summary>
    [JsonStringEnumMemberName("stopped")]
    Stopped,

    /// <summary>Stopped by a fatal error.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Every lane was read and settled to its end: nothing is left to resume.</summary>
    [JsonStringEnumMemberName("finished")]
    Finished,
}

/// <summary>
/// Which job a checkpoint belongs to: a resumed run must be the same job, or it would skip what another job did.
/// </summary>
/// <param name="Kind">copy, export or import.</param>
/// <param name="Source">What is read: a table (its ARN, id and creation time, or its name and endpoint), or files.</param>
/// <param name="Destination">What is written: a table, or the export's folder.</param>
/// <param name="Options">Settings that change what the output is (an export's compression), or null.</param>
public sealed record JobIdentity(string Kind, string Source, string Destination, int TotalSegments = 1, int Section = 0, int TotalSections = 1,
    string? Options = null);

/// <summary>Item counts of the settled part of a job.</summary>
public sealed record CheckpointTotals
{
    public long Scanned { get; init; }
    public long Written { get; init; }
    public long DeadLettered { get; init; }
    public long Failed { get; init; }
    public long Rejected { get; init; }

    /// <summary>Items read that the filter left out (written only when there are any: older files have none).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public long Filtered { get; init; }
}

/// <summary>One lane in the file: a scan segment with the last key of its last settled page, or an import's file and line.</summary>
public sealed record LaneCheckpoint
{
    public int Lane { get; init; }
    public bool Done { get; init; }

    /// <summary>The segment's position as DynamoDB JSON (<c>{"pk":{"S":"a"}}</c>).</summary>
    public JsonElement? LastKey { get; init; }

    public string? File { get; init; }
    public long? Line { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Checkpoint))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;
