namespace DdbCopy.Core.Engine;

/// <summary>What following the source's changes came to (a DynamoDB stream, or a database polled; all runs of a resumed job).</summary>
/// <param name="StreamRecords">Records read from the stream (spooled).</param>
/// <param name="Applied">Changes written to the destination.</param>
/// <param name="Skipped">Changes not written because the destination held a newer version (--conflictAttribute).</param>
/// <param name="DeadLettered">Changes that could not be written (in the dead-letter file).</param>
/// <param name="Pending">Records read and not yet applied.</param>
/// <param name="LagSeconds">0 when caught up; else now minus when the last applied change was made at the source.</param>
/// <param name="Shards">Shards being read.</param>
/// <param name="Applying">The bulk copy is done and changes are being applied (false while the scan runs).</param>
/// <param name="CaughtUp">Every change recorded before the apply phase began is applied.</param>
public sealed record FollowSummary(string StreamArn, long StreamRecords, long Applied, long Skipped, long DeadLettered, long Pending, double LagSeconds,
    int Shards, bool Applying, bool CaughtUp)
{
    /// <summary>What the changes were read from, as the summary names it: "Stream", or "Changes polled" from a database.</summary>
    public string Source { get; init; } = "Stream";

    /// <summary>A binary log followed: transactions whose changes are all applied (null for other sources).</summary>
    public long? Transactions { get; init; }

    /// <summary>A binary log followed: row changes of the table read.</summary>
    public long? Rows { get; init; }

    /// <summary>A binary log followed: the position after the last applied transaction (file:offset).</summary>
    public string? Position { get; init; }
}
