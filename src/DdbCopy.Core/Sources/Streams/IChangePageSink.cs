using DdbCopy.Core.Engine;

namespace DdbCopy.Core.Sources.Streams;

/// <summary>Receives each shard's records in order: appended to the spool, with the shard's new position.</summary>
public interface IChangePageSink
{
    /// <param name="done">The shard is closed and these are its last records.</param>
    ValueTask AppendAsync(ShardPosition shard, IReadOnlyList<ChangeRecord> records, bool done, CancellationToken cancellationToken);

    /// <summary>A read of the shard found nothing new (its position is unchanged).</summary>
    void CaughtUp(string shardId, DateTimeOffset readStarted);
}
