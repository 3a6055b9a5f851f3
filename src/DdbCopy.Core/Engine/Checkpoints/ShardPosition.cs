namespace DdbCopy.Core.Engine.Checkpoints;

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
