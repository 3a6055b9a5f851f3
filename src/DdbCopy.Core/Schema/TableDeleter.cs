using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Schema;

/// <summary>Deletes a table (never one with deletion protection on) and waits until it is gone.</summary>
public sealed class TableDeleter(IAmazonDynamoDB client, TimeProvider timeProvider, ILogger logger)
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Why a table with deletion protection on is never deleted.</summary>
    public static DdbCopyException Protected(string table) => new(FailureKind.Environment,
        $"The destination table '{table}' has deletion protection on, so it was not deleted: turn deletion protection off yourself if you mean to replace it.");

    public async Task DeleteAsync(TableDefinition table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.DeletionProtection)
        {
            throw Protected(table.TableName);
        }

        Log.Deleting(logger, table.TableName);
        await Aws.ControlPlane.ApplyAsync(ct => client.DeleteTableAsync(new DeleteTableRequest { TableName = table.TableName }, ct),
            (refusal, _) => Aws.ControlPlane.TableGone(refusal), timeProvider, cancellationToken);
        var started = timeProvider.GetTimestamp();
        while (true)
        {
            try
            {
                await Aws.ControlPlane.CallAsync(ct => client.DescribeTableAsync(new DescribeTableRequest { TableName = table.TableName }, ct),
                    timeProvider, cancellationToken);
            }
            catch (ResourceNotFoundException)
            {
                Log.Deleted(logger, table.TableName, timeProvider.GetElapsedTime(started).TotalSeconds);
                return;
            }

            if (timeProvider.GetElapsedTime(started) > Timeout)
            {
                throw new DdbCopyException(FailureKind.Environment, $"The table '{table.TableName}' is still being deleted after {Timeout.TotalMinutes:0} minutes.");
            }

            await Task.Delay(PollInterval, timeProvider, cancellationToken);
        }
    }
}
