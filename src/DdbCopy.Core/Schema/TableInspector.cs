using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Schema;

/// <summary>Reads a table's definition into a <see cref="TableInfo"/>.</summary>
public static class TableInspector
{
    public static async Task<TableInfo> DescribeAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await Aws.ControlPlane.CallAsync(ct => client.DescribeTableAsync(new DescribeTableRequest { TableName = tableName }, ct),
            TimeProvider.System, cancellationToken);
        return FromDescription(response.Table);
    }

    public static TableInfo FromDescription(TableDescription table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var types = (table.AttributeDefinitions ?? []).ToDictionary(a => a.AttributeName, a => a.AttributeType.Value, StringComparer.Ordinal);
        var key = (table.KeySchema ?? [])
            .OrderBy(k => k.KeyType == KeyType.HASH ? 0 : 1)
            .Select(k => new KeyAttribute(k.AttributeName, k.KeyType.Value, types.GetValueOrDefault(k.AttributeName, "?")))
            .ToList();
        var onDemand = table.BillingModeSummary?.BillingMode == BillingMode.PAY_PER_REQUEST
            || (table.ProvisionedThroughput?.ReadCapacityUnits ?? 0) == 0 && (table.ProvisionedThroughput?.WriteCapacityUnits ?? 0) == 0;
        var indexes = (table.GlobalSecondaryIndexes ?? [])
            .Select(g => new IndexInfo(
                g.IndexName,
                (g.KeySchema ?? []).Select(k => k.AttributeName).ToList(),
                g.ProvisionedThroughput?.WriteCapacityUnits ?? 0))
            .ToList();
        return new TableInfo(
            table.TableName,
            key,
            onDemand,
            table.ProvisionedThroughput?.ReadCapacityUnits ?? 0,
            table.ProvisionedThroughput?.WriteCapacityUnits ?? 0,
            PositiveOrNull(table.OnDemandThroughput?.MaxReadRequestUnits),
            PositiveOrNull(table.OnDemandThroughput?.MaxWriteRequestUnits),
            indexes,
            table.ItemCount ?? 0,
            table.TableSizeBytes ?? 0)
        {
            WarmReadUnits = PositiveOrNull(table.WarmThroughput?.ReadUnitsPerSecond),
            StreamViewType = table.StreamSpecification?.StreamEnabled == true ? table.StreamSpecification.StreamViewType?.Value : null,
            LatestStreamArn = table.StreamSpecification?.StreamEnabled == true ? table.LatestStreamArn : null,
            WarmWriteUnits = PositiveOrNull(table.WarmThroughput?.WriteUnitsPerSecond),
            DecreasesToday = table.ProvisionedThroughput?.NumberOfDecreasesToday ?? 0,
            // A server that gives no ARN (some DynamoDB-compatible ones) gives nothing to tell its tables apart by.
            Identity = string.IsNullOrEmpty(table.TableArn)
                ? null
                : string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{table.TableArn}|{table.TableId}|{table.CreationDateTime?.ToUniversalTime():O}"),
        };
    }

    /// <summary>The copy's view of a table that may not exist yet (what --createDestination would create).</summary>
    public static TableInfo FromDefinition(TableDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var types = definition.AttributeDefinitions.ToDictionary(a => a.AttributeName, a => a.Type, StringComparer.Ordinal);
        return new TableInfo(
            definition.TableName,
            definition.KeySchema.Select(k => new KeyAttribute(k.AttributeName, k.KeyType, types.GetValueOrDefault(k.AttributeName, "?"))).ToList(),
            definition.BillingMode == "PAY_PER_REQUEST",
            definition.ProvisionedThroughput?.ReadCapacityUnits ?? 0,
            definition.ProvisionedThroughput?.WriteCapacityUnits ?? 0,
            definition.OnDemandThroughput?.MaxReadRequestUnits,
            definition.OnDemandThroughput?.MaxWriteRequestUnits,
            definition.GlobalSecondaryIndexes.Select(g => new IndexInfo(g.IndexName, g.KeySchema.Select(k => k.AttributeName).ToList(),
                g.ProvisionedThroughput?.WriteCapacityUnits ?? 0)).ToList(),
            0,
            0);
    }

    private static long? PositiveOrNull(long? value) => value is > 0 ? value : null;
}
