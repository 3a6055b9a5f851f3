using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Schema;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Jobs.Copying;

/// <summary>What --follow needs of the source's stream, checked before anything changes; and enabling it when asked to.</summary>
public static class FollowPreflight
{
    /// <summary>
    /// Refuses a source whose stream cannot be followed (none, or one without new images), with the command that
    /// fixes it. Returns false when the stream is to be enabled (--enableSourceStream).
    /// </summary>
    public static bool Check(TableInfo source, FollowSettings follow)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(follow);
        var view = source.StreamViewType;
        if (view is null || source.LatestStreamArn is null)
        {
            if (follow.EnableSourceStream)
            {
                return false;
            }

            throw new DdbCopyException(FailureKind.Environment,
                $"--follow reads the source's stream, and table '{source.Name}' has none enabled. Enable it with "
                + $"'aws dynamodb update-table --table-name {source.Name} --stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES', "
                + "or pass --enableSourceStream to let ddbcopy do it.");
        }

        if (view is not ("NEW_IMAGE" or "NEW_AND_OLD_IMAGES"))
        {
            throw new DdbCopyException(FailureKind.Environment,
                $"The stream of table '{source.Name}' keeps {view}; --follow needs the items' new images (NEW_IMAGE or NEW_AND_OLD_IMAGES). "
                + "A stream's view type cannot be changed: disable the stream and enable it again with NEW_AND_OLD_IMAGES (its other readers start over).");
        }

        if (follow.ConflictAttribute is not null && view != "NEW_AND_OLD_IMAGES")
        {
            throw new DdbCopyException(FailureKind.Environment,
                $"--conflictAttribute needs the source's stream to keep NEW_AND_OLD_IMAGES (table '{source.Name}' keeps {view}): a delete is applied "
                + "only when the destination holds no newer version than the one deleted, which only the old image tells.");
        }

        return true;
    }

    /// <summary>Enables the source's stream (NEW_AND_OLD_IMAGES) and waits until it has an ARN; returns it.</summary>
    public static async Task<string> EnableAsync(IAmazonDynamoDB client, string tableName, TimeProvider timeProvider, ILogger logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        Log.Follow(logger, $"Enabling the stream of source table {tableName} (NEW_AND_OLD_IMAGES), as --enableSourceStream asks");
        await ControlPlane.ApplyAsync(ct => client.UpdateTableAsync(new UpdateTableRequest
            {
                TableName = tableName,
                StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_AND_OLD_IMAGES },
            }, ct),
            // An answer lost after the stream was enabled: the retry is refused because the table has one now.
            async (_, ct) => (await TableInspector.DescribeAsync(client, tableName, ct)).LatestStreamArn is not null,
            timeProvider, cancellationToken);
        var deadline = timeProvider.GetUtcNow() + TimeSpan.FromMinutes(10);
        while (true)
        {
            var table = await TableInspector.DescribeAsync(client, tableName, cancellationToken);
            if (table.LatestStreamArn is { } arn)
            {
                return arn;
            }

            if (timeProvider.GetUtcNow() > deadline)
            {
                throw new DdbCopyException(FailureKind.Environment, $"The stream of table '{tableName}' was not enabled within 10 minutes.");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, cancellationToken);
        }
    }
}
