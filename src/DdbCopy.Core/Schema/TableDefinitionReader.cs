using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using DdbCopy.Core.Aws;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Schema;

/// <summary>
/// Reads a table's whole definition: DescribeTable, then TTL, tags and point-in-time recovery. A server that does not
/// support one of the extra calls (DynamoDB Local: tags, PITR) gets a warning and that part is left unknown.
/// </summary>
public static class TableDefinitionReader
{
    public static async Task<TableDefinition> ReadAsync(IAmazonDynamoDB client, string tableName, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var time = TimeProvider.System;
        var table = (await ControlPlane.CallAsync(ct => client.DescribeTableAsync(new DescribeTableRequest { TableName = tableName }, ct), time, cancellationToken)).Table;
        var definition = FromDescription(table);

        var ttl = await OptionalAsync(logger, tableName, "DescribeTimeToLive", async () =>
            (await ControlPlane.CallAsync(ct => client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = tableName }, ct), time, cancellationToken))
                .TimeToLiveDescription);
        var tags = await OptionalAsync(logger, tableName, "ListTagsOfResource", async () => await ListTagsAsync(client, table.TableArn, cancellationToken));
        var pitr = await OptionalAsync(logger, tableName, "DescribeContinuousBackups", async () =>
            (await ControlPlane.CallAsync(ct => client.DescribeContinuousBackupsAsync(new DescribeContinuousBackupsRequest { TableName = tableName }, ct), time,
                cancellationToken))
                .ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus?.Value ?? "DISABLED");

        return definition with
        {
            TimeToLiveAttribute = ttl?.TimeToLiveStatus?.Value is "ENABLED" or "ENABLING" ? ttl.AttributeName : null,
            Tags = tags,
            PointInTimeRecovery = pitr is null ? null : pitr == "ENABLED",
        };
    }

    /// <summary>The part of a definition DescribeTable gives (no TTL, tags or PITR).</summary>
    public static TableDefinition FromDescription(TableDescription table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var onDemand = table.BillingModeSummary?.BillingMode == BillingMode.PAY_PER_REQUEST
            || (table.ProvisionedThroughput?.ReadCapacityUnits ?? 0) == 0 && (table.ProvisionedThroughput?.WriteCapacityUnits ?? 0) == 0;
        return new TableDefinition
        {
            TableName = table.TableName,
            KeySchema = Keys(table.KeySchema),
            AttributeDefinitions = (table.AttributeDefinitions ?? []).Select(a => new AttributeType(a.AttributeName, a.AttributeType.Value))
                .OrderBy(a => a.AttributeName, StringComparer.Ordinal).ToList(),
            BillingMode = onDemand ? "PAY_PER_REQUEST" : "PROVISIONED",
            ProvisionedThroughput = onDemand ? null : Throughput(table.ProvisionedThroughput?.ReadCapacityUnits, table.ProvisionedThroughput?.WriteCapacityUnits),
            OnDemandThroughput = Limits(table.OnDemandThroughput?.MaxReadRequestUnits, table.OnDemandThroughput?.MaxWriteRequestUnits),
            GlobalSecondaryIndexes = (table.GlobalSecondaryIndexes ?? [])
                .Select(g => new GlobalIndex(g.IndexName, Keys(g.KeySchema), ProjectionOf(g.Projection),
                    onDemand ? null : Throughput(g.ProvisionedThroughput?.ReadCapacityUnits, g.ProvisionedThroughput?.WriteCapacityUnits),
                    Limits(g.OnDemandThroughput?.MaxReadRequestUnits, g.OnDemandThroughput?.MaxWriteRequestUnits)))
                .OrderBy(g => g.IndexName, StringComparer.Ordinal).ToList(),
            LocalSecondaryIndexes = (table.LocalSecondaryIndexes ?? [])
                .Select(l => new LocalIndex(l.IndexName, Keys(l.KeySchema), ProjectionOf(l.Projection)))
                .OrderBy(l => l.IndexName, StringComparer.Ordinal).ToList(),
            StreamViewType = table.StreamSpecification?.StreamEnabled == true ? table.StreamSpecification.StreamViewType?.Value : null,
            TableClass = table.TableClassSummary?.TableClass?.Value,
            SseDescription = table.SSEDescription?.SSEType?.Value is { } type && table.SSEDescription.Status?.Value is "ENABLED" or "ENABLING" or "UPDATING"
                ? new Encryption(type, table.SSEDescription.KMSMasterKeyArn)
                : null,
            DeletionProtection = table.DeletionProtectionEnabled == true,
        };
    }

    private static async Task<Dictionary<string, string>> ListTagsAsync(IAmazonDynamoDB client, string arn, CancellationToken cancellationToken)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        string? next = null;
        do
        {
            var token = next;
            var page = await ControlPlane.CallAsync(ct => client.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = arn, NextToken = token }, ct),
                TimeProvider.System, cancellationToken);
            foreach (var tag in page.Tags ?? [])
            {
                tags[tag.Key] = tag.Value;
            }

            next = page.NextToken;
        }
        while (!string.IsNullOrEmpty(next));

        return tags;
    }

    /// <summary>Runs a call whose answer is nice to have; an unsupported operation gives a warning and null.</summary>
    internal static async Task<T?> OptionalAsync<T>(ILogger logger, string table, string operation, Func<Task<T>> call)
        where T : class
    {
        try
        {
            return await call();
        }
        catch (AmazonServiceException ex) when (IsUnsupported(ex))
        {
            Log.Unsupported(logger, operation, table, ErrorText.Describe(ex));
            return null;
        }
    }

    internal static bool IsUnsupported(AmazonServiceException ex) =>
        ex.ErrorCode is "UnknownOperationException" or "UnsupportedOperationException" or "NotImplemented";

    private static List<KeyElement> Keys(IEnumerable<KeySchemaElement>? keys) =>
        (keys ?? []).OrderBy(k => k.KeyType == KeyType.HASH ? 0 : 1).Select(k => new KeyElement(k.AttributeName, k.KeyType.Value)).ToList();

    private static Projection ProjectionOf(Amazon.DynamoDBv2.Model.Projection? projection) => new(
        projection?.ProjectionType?.Value ?? "ALL",
        (projection?.NonKeyAttributes ?? []).Order(StringComparer.Ordinal).ToList());

    private static Throughput? Throughput(long? read, long? write) =>
        read is > 0 || write is > 0 ? new Throughput(read ?? 0, write ?? 0) : null;

    private static OnDemandLimits? Limits(long? read, long? write) =>
        read is > 0 || write is > 0 ? new OnDemandLimits(read is > 0 ? read : null, write is > 0 ? write : null) : null;
}
