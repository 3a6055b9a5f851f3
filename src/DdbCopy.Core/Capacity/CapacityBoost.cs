using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Schema;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Capacity;

/// <summary>
/// --boostWriteCapacity: raises a PROVISIONED table's WCU (its global indexes in proportion) for the copy and restores
/// the original values afterwards. Restoring is a decrease, which DynamoDB limits per day, so the quota is checked and
/// warned about before raising and again before restoring.
/// </summary>
public sealed class CapacityBoost(IAmazonDynamoDB client, TimeProvider timeProvider, ILogger logger)
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The table as the copy will see it once boosted.</summary>
    public static TableInfo Boosted(TableInfo table, long writeCapacity)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table with
        {
            WriteCapacityUnits = writeCapacity,
            GlobalSecondaryIndexes = table.GlobalSecondaryIndexes
                .Select(i => i with { WriteCapacityUnits = Scaled(i.WriteCapacityUnits, table.WriteCapacityUnits, writeCapacity) })
                .ToList(),
        };
    }

    /// <summary>Raises the WCU; returns the values to restore, or null when nothing was changed.</summary>
    /// <param name="beforeChange">Told the values to restore just before the table is changed (to record them first).</param>
    public async Task<CapacitySnapshot?> RaiseAsync(string tableName, long writeCapacity, CancellationToken cancellationToken,
        Action<CapacitySnapshot>? beforeChange = null)
    {
        var table = await DescribeAsync(tableName, cancellationToken);
        var info = TableInspector.FromDescription(table);
        if (info.IsOnDemand)
        {
            Log.CapacityWarning(logger, $"--boostWriteCapacity applies to PROVISIONED tables; {tableName} is PAY_PER_REQUEST, so nothing was changed.");
            return null;
        }

        if (writeCapacity <= info.WriteCapacityUnits)
        {
            Log.CapacityWarning(logger, string.Create(CultureInfo.InvariantCulture,
                $"{tableName} already has {info.WriteCapacityUnits} WCU (not less than --boostWriteCapacity {writeCapacity}), so nothing was changed."));
            return null;
        }

        if (DecreaseQuota.Warning(tableName, timeProvider.GetUtcNow(), table.ProvisionedThroughput?.NumberOfDecreasesToday ?? 0) is { } warning)
        {
            Log.CapacityWarning(logger, warning);
        }

        var original = CapacitySnapshot.Of(table);
        beforeChange?.Invoke(original);
        await UpdateAsync(tableName, original.ReadCapacityUnits, writeCapacity,
            original.Indexes.ToDictionary(i => i.Key, i => (i.Value.Read, Scaled(i.Value.Write, original.WriteCapacityUnits, writeCapacity))),
            cancellationToken);
        Log.CapacityChanged(logger, tableName, $"raised from {original} to {writeCapacity} WCU{IndexNote(original.Indexes.Count)} for the copy");
        return original;
    }

    /// <summary>Puts the original values back. Never throws: a failure is logged with the values to set by hand.</summary>
    public async Task<bool> RestoreAsync(string tableName, CapacitySnapshot original)
    {
        ArgumentNullException.ThrowIfNull(original);
        try
        {
            var table = await DescribeAsync(tableName, CancellationToken.None);
            if (DecreaseQuota.Warning(tableName, timeProvider.GetUtcNow(), table.ProvisionedThroughput?.NumberOfDecreasesToday ?? 0) is { } warning)
            {
                Log.CapacityWarning(logger, warning);
            }

            await UpdateAsync(tableName, original.ReadCapacityUnits, original.WriteCapacityUnits, original.Indexes, CancellationToken.None);
            Log.CapacityChanged(logger, tableName, $"restored to {original}");
            return true;
        }
        catch (Exception ex)
        {
            Log.CapacityWarning(logger, $"Could not restore the capacity of {tableName} ({Aws.ErrorText.Describe(ex)}): set it back to {original} yourself.");
            return false;
        }
    }

    private async Task UpdateAsync(string tableName, long read, long write, IReadOnlyDictionary<string, (long Read, long Write)> indexes,
        CancellationToken cancellationToken)
    {
        var request = new UpdateTableRequest
        {
            TableName = tableName,
            ProvisionedThroughput = new ProvisionedThroughput(read, write),
        };
        if (indexes.Count > 0)
        {
            request.GlobalSecondaryIndexUpdates = indexes.Select(i => new GlobalSecondaryIndexUpdate
            {
                Update = new UpdateGlobalSecondaryIndexAction { IndexName = i.Key, ProvisionedThroughput = new ProvisionedThroughput(i.Value.Read, i.Value.Write) },
            }).ToList();
        }

        // An update whose answer was lost may have been applied: a refused retry is fine when the table has the capacity wanted.
        await Aws.ControlPlane.ApplyAsync(ct => client.UpdateTableAsync(request, ct), async (_, ct) =>
            {
                var now = await DescribeAsync(tableName, ct);
                return now.ProvisionedThroughput?.ReadCapacityUnits == read && now.ProvisionedThroughput?.WriteCapacityUnits == write;
            },
            timeProvider, cancellationToken);
        await Schema.ActiveTableWaiter.WaitAsync(client, tableName, timeProvider, PollInterval, Timeout.InfiniteTimeSpan, cancellationToken);
    }

    private async Task<TableDescription> DescribeAsync(string tableName, CancellationToken cancellationToken) =>
        (await Aws.ControlPlane.CallAsync(ct => client.DescribeTableAsync(new DescribeTableRequest { TableName = tableName }, ct), timeProvider,
            cancellationToken)).Table;

    private static long Scaled(long value, long from, long to) => from <= 0 ? value : Math.Max(1, (long)Math.Ceiling((double)value * to / from));

    private static string IndexNote(int count) => count == 0 ? "" : $" (and its {count} global indexes in proportion)";
}
