using System.Text.Json.Serialization;
using DdbCopy.Core.Engine.Checkpoints;

namespace DdbCopy.Core.Sources.MySql;

/// <summary>
/// Where polling a database for changed rows stands: the column, its high-water mark (the largest value seen, taken
/// before the full load started, then after every poll), and what the polls came to.
/// </summary>
/// <param name="Mark">The mark as SQL text (a number, or a timestamp 'yyyy-MM-dd HH:mm:ss.ffffff'); null when the column had no value yet.</param>
/// <param name="IsTime">True when the column is a DATETIME or TIMESTAMP (the overlap window is then subtracted from the mark).</param>
public sealed record IncrementalCheckpoint(string Column, string? Mark, bool IsTime)
{
    public long Polls { get; init; }

    /// <summary>Changed rows read by the polls.</summary>
    public long Rows { get; init; }

    /// <summary>Items written and deleted by the polls.</summary>
    public long Applied { get; init; }

    public long DeadLettered { get; init; }
}

/// <summary>The polling's part of the checkpoint ("incremental"), owned here.</summary>
public static class MySqlCheckpoint
{
    public static CheckpointPart<IncrementalCheckpoint> Incremental { get; } = new("incremental", MySqlCheckpointJson.Default.IncrementalCheckpoint);

    /// <summary>Where following the binary log stands ("binlog").</summary>
    public static CheckpointPart<BinlogCheckpoint> Binlog { get; } = new("binlog", MySqlCheckpointJson.Default.BinlogCheckpoint);
}

/// <summary>
/// Where following the binary log stands: the file and offset after the last transaction whose changes are all applied
/// (taken before the full load started, then moved after every applied transaction), and what following came to.
/// </summary>
public sealed record BinlogCheckpoint(string File, ulong Offset)
{
    /// <summary>The global id of the last applied transaction, as the server writes it (for people; the position is what resumes).</summary>
    public string? Gtid { get; init; }

    public long Events { get; init; }

    /// <summary>Row changes of the followed table read.</summary>
    public long Rows { get; init; }

    /// <summary>Transactions whose changes are all applied.</summary>
    public long Transactions { get; init; }

    /// <summary>Items written and deleted.</summary>
    public long Applied { get; init; }

    public long DeadLettered { get; init; }

    public long Rejected { get; init; }

    /// <summary>Followed with --stopWhenCaughtUp to the end of the log.</summary>
    public bool CaughtUp { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IncrementalCheckpoint))]
[JsonSerializable(typeof(BinlogCheckpoint))]
internal sealed partial class MySqlCheckpointJson : JsonSerializerContext;
