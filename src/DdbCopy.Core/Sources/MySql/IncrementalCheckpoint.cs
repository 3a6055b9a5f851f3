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
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IncrementalCheckpoint))]
internal sealed partial class MySqlCheckpointJson : JsonSerializerContext;
