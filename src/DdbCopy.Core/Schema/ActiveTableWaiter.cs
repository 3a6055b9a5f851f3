using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Schema;

/// <summary>Polls DescribeTable until a table and every one of its global indexes are ACTIVE (after a create or an update).</summary>
internal static class ActiveTableWaiter
{
    /// <param name="timeout">How long to wait at most; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <returns>Null once everything is ACTIVE; the table's status when the timeout passed first.</returns>
    public static async Task<string?> WaitAsync(IAmazonDynamoDB client, string table, TimeProvider timeProvider, TimeSpan pollInterval,
        TimeSpan timeout, CancellationToken cancellationToken) =>
        (await WaitForAsync(client, table, timeProvider, pollInterval, timeout, cancellationToken)).NotActive;

    /// <returns>The status when the timeout passed first (null once ACTIVE), and the table as last described.</returns>
    public static async Task<(string? NotActive, TableDescription Table)> WaitForAsync(IAmazonDynamoDB client, string table, TimeProvider timeProvider, TimeSpan pollInterval,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        while (true)
        {
            var description = (await Aws.ControlPlane.CallAsync(ct => client.DescribeTableAsync(new DescribeTableRequest { TableName = table }, ct),
                timeProvider, cancellationToken)).Table;
            if (description.TableStatus == TableStatus.ACTIVE
                && (description.GlobalSecondaryIndexes ?? []).All(g => g.IndexStatus == IndexStatus.ACTIVE))
            {
                return (null, description);
            }

            if (timeout != Timeout.InfiniteTimeSpan && timeProvider.GetElapsedTime(started) > timeout)
            {
                return (description.TableStatus?.Value ?? "not ACTIVE", description);
            }

            await Task.Delay(pollInterval, timeProvider, cancellationToken);
        }
    }
}
