using System.Text.Json.Serialization;
using DdbCopy.Core.Engine.Checkpoints;

namespace DdbCopy.Core.Sources.Streams;

/// <summary>
/// Where a copy that follows its source's stream stands: the stream, how far each shard is read into the change
/// spool (matching the spool's written length), and how far the spool is applied to the destination.
/// </summary>
public sealed record FollowCheckpoint
{
    public required string StreamArn { get; init; }

    /// <summary>When the positions to replay from were taken (before the scan started).</summary>
    public DateTimeOffset Started { get; init; }

    public required string SpoolDirectory { get; init; }
    public IReadOnlyList<ShardPosition> Shards { get; init; } = [];
    public int SpoolSegment { get; init; }
    public long SpoolOffset { get; init; }
    public int AppliedSegment { get; init; }
    public long AppliedOffset { get; init; }

    /// <summary>Stream records spooled, changes applied, skipped as older than the destination's, and dead-lettered (all runs).</summary>
    public long StreamRecords { get; init; }
    public long Applied { get; init; }
    public long Skipped { get; init; }
    public long DeadLettered { get; init; }

    /// <summary>Set when the follower ended caught up with --stopWhenCaughtUp: nothing is left to resume.</summary>
    public bool Finished { get; init; }
}

/// <summary>
/// How far one shard of a stream is read (and spooled): after <see cref="After"/>, or from where this job started
/// reading it when null. <see cref="Done"/> once the shard is closed and read to its end.
/// </summary>
/// <param name="ParentShardId">Read first: a child shard's records come after its parent's.</param>
/// <param name="Since">When this job began to depend on the shard (the job's start, or when the shard was found): the
/// records it needs from a shard with no position yet are no older than this.</param>
/// <param name="CaughtUpAt">The start of the last read of this shard that found nothing new (null: none yet).</param>
public sealed record ShardPosition(string ShardId, string? ParentShardId, string? After, bool Done, DateTimeOffset Since,
    DateTimeOffset? CaughtUpAt = null)
{
    /// <summary>
    /// Records this job still needs may already be trimmed: the shard has no position yet and the time since it was
    /// taken (or since the last read found nothing new) is longer than the stream keeps records. A shard with a
    /// position is checked by the stream itself (TrimmedDataAccessException).
    /// </summary>
    public bool MayBeTrimmed(DateTimeOffset now, TimeSpan retention) =>
        !Done && After is null && now - (CaughtUpAt is { } caught && caught > Since ? caught : Since) >= retention;
}

/// <summary>The stream's part of the checkpoint ("follow"), owned here.</summary>
public static class StreamCheckpoint
{
    public static CheckpointPart<FollowCheckpoint> Follow { get; } = new("follow", StreamCheckpointJson.Default.FollowCheckpoint);

    /// <summary>A section of a followed copy: the stream that existed when its scan began (its follower checks it is the one it reads).</summary>
    public static CheckpointPart<SectionStreamCheckpoint> Section { get; } = new("sectionStream", StreamCheckpointJson.Default.SectionStreamCheckpoint);
}

/// <summary>The stream a section of a followed copy saw before its scan began.</summary>
public sealed record SectionStreamCheckpoint(string StreamArn);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FollowCheckpoint))]
[JsonSerializable(typeof(SectionStreamCheckpoint))]
internal sealed partial class StreamCheckpointJson : JsonSerializerContext;
