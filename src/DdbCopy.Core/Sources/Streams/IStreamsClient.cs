using DdbCopy.Core.Engine;

namespace DdbCopy.Core.Sources.Streams;

/// <summary>
/// The four DynamoDB Streams calls ddbcopy uses. The SDK's Streams client is in a package that is not available here,
/// so <see cref="StreamsClient"/> speaks the JSON protocol itself; failures come back as the SDK's
/// <see cref="Amazon.Runtime.AmazonServiceException"/> with the service's error code, so the one
/// <see cref="Aws.ErrorClassifier"/> decides what is retried.
/// </summary>
public interface IStreamsClient : IDisposable
{
    /// <summary>The streams of a table (ListStreams, every page).</summary>
    Task<IReadOnlyList<string>> ListStreamsAsync(string tableName, CancellationToken cancellationToken);

    /// <summary>One page of a stream's shards (DescribeStream).</summary>
    Task<StreamDescriptionPage> DescribeStreamAsync(string streamArn, string? exclusiveStartShardId, CancellationToken cancellationToken);

    /// <summary>An iterator into a shard (GetShardIterator); <paramref name="sequenceNumber"/> for AT_/AFTER_SEQUENCE_NUMBER.</summary>
    Task<string> GetShardIteratorAsync(string streamArn, string shardId, ShardIteratorKind kind, string? sequenceNumber, CancellationToken cancellationToken);

    /// <summary>Records at an iterator (GetRecords), and the iterator after them (null: the shard is closed and read to its end).</summary>
    Task<RecordsPage> GetRecordsAsync(string shardIterator, int limit, CancellationToken cancellationToken);
}

public enum ShardIteratorKind
{
    TrimHorizon,
    Latest,
    AtSequenceNumber,
    AfterSequenceNumber,
}

/// <summary>A stream's status and one page of its shards.</summary>
/// <param name="Status">ENABLING, ENABLED, DISABLING or DISABLED.</param>
/// <param name="ViewType">NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES or KEYS_ONLY.</param>
public sealed record StreamDescriptionPage(string Status, string ViewType, IReadOnlyList<ShardDescription> Shards, string? LastEvaluatedShardId);

/// <summary>A shard: its parent (read first), and whether it is closed (an ending sequence number).</summary>
public sealed record ShardDescription(string ShardId, string? ParentShardId, string? StartingSequenceNumber, string? EndingSequenceNumber)
{
    public bool IsOpen => EndingSequenceNumber is null;
}

/// <summary>What GetRecords returned: the records, and where to go on (null when the shard is closed and read to its end).</summary>
public sealed record RecordsPage(IReadOnlyList<ChangeRecord> Records, string? NextShardIterator);
