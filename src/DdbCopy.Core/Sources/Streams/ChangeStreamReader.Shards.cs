using Amazon.Runtime;
using DdbCopy.Core.Aws;
using Polly;

namespace DdbCopy.Core.Sources.Streams;

/// <summary>The stream's shard list, the start positions of a new job, a shard's iterator, and the errors of a stream that is gone or trimmed.</summary>
public sealed partial class ChangeStreamReader
{
    /// <summary>The stream's open shards now, each with a LATEST iterator: the positions a new job replays from.</summary>
    public static async Task<(List<ShardPosition> Positions, Dictionary<string, string> Iterators)> TakeStartAsync(IStreamsClient client, string streamArn,
        ResiliencePipeline retry, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(retry);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var now = timeProvider.GetUtcNow();
        var shards = await DescribeAllAsync(client, streamArn, retry, cancellationToken);
        var positions = new List<ShardPosition>();
        var iterators = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var shard in shards.Where(s => s.IsOpen))
        {
            iterators[shard.ShardId] = await retry.ExecuteAsync(
                ct => new ValueTask<string>(client.GetShardIteratorAsync(streamArn, shard.ShardId, ShardIteratorKind.Latest, null, ct)), cancellationToken);
            positions.Add(new ShardPosition(shard.ShardId, shard.ParentShardId, null, false, now));
        }

        return (positions, iterators);
    }

    private async Task<string> IteratorAsync(ShardPosition position, CancellationToken token)
    {
        // LATEST only for the iterators taken at the job's start; a shard with no position later is read from its
        // start: records older than the job are applied again, which changes nothing (each is followed by the newer ones).
        var (kind, sequence) = position.After is { } after ? (ShardIteratorKind.AfterSequenceNumber, after) : (ShardIteratorKind.TrimHorizon, (string?)null);
        return await _retry.ExecuteAsync(
            ct => new ValueTask<string>(Gone(_client.GetShardIteratorAsync(_streamArn, position.ShardId, kind, sequence, ct), _streamArn)), token);
    }

    /// <summary>Every shard of the stream (every DescribeStream page).</summary>
    public static async Task<List<ShardDescription>> DescribeAllAsync(IStreamsClient client, string streamArn, ResiliencePipeline retry,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(retry);
        var shards = new List<ShardDescription>();
        string? after = null;
        do
        {
            var page = await retry.ExecuteAsync(ct => new ValueTask<StreamDescriptionPage>(Gone(client.DescribeStreamAsync(streamArn, after, ct), streamArn)),
                cancellationToken);
            if (page.Status is "DISABLED" or "DISABLING")
            {
                throw new DdbCopyException(FailureKind.CopyFailed,
                    $"The source's stream {streamArn} was disabled: changes after that are not recorded, so the destination cannot be kept up to date.");
            }

            shards.AddRange(page.Shards);
            after = page.LastEvaluatedShardId;
        }
        while (after is not null);

        return shards;
    }

    /// <summary>The message for a position the stream no longer holds.</summary>
    public static DdbCopyException Trimmed(ShardPosition position, Exception? cause, FailureKind kind = FailureKind.CopyFailed) =>
        new(kind,
            $"The source's stream no longer holds the records after position {position.After ?? "(start)"} of shard {position.ShardId}: "
            + "DynamoDB Streams keeps records for 24 hours and these were trimmed, so changes were lost and the destination cannot be brought up to date from the stream. "
            + "Start a new copy (without --resume).", cause);

    private static async Task<T> Gone<T>(Task<T> call, string streamArn)
    {
        try
        {
            return await call;
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode == "ResourceNotFoundException")
        {
            throw new DdbCopyException(FailureKind.CopyFailed, $"The source's stream {streamArn} was not found ({ex.Message}): was it disabled?", ex);
        }
    }
}
