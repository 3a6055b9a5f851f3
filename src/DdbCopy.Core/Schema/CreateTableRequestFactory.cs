using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Schema;

/// <summary>
/// Builds CreateTable from a <see cref="TableDefinition"/>, field by field from an allow-list, so a field DescribeTable
/// gains one day never leaks into a create request. TTL, tags and point-in-time recovery are set after creation.
/// </summary>
public static class CreateTableRequestFactory
{
    public static CreateTableRequest Build(TableDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var provisioned = definition.BillingMode == "PROVISIONED";
        var request = new CreateTableRequest
        {
            TableName = definition.TableName,
            KeySchema = Keys(definition.KeySchema),
            AttributeDefinitions = definition.AttributeDefinitions.Select(a => new AttributeDefinition(a.AttributeName, a.Type)).ToList(),
            BillingMode = provisioned ? BillingMode.PROVISIONED : BillingMode.PAY_PER_REQUEST,
            ProvisionedThroughput = provisioned ? Throughput(definition.ProvisionedThroughput) : null,
            OnDemandThroughput = provisioned ? null : Limits(definition.OnDemandThroughput),
            DeletionProtectionEnabled = definition.DeletionProtection ? true : null,
        };
        if (definition.GlobalSecondaryIndexes.Count > 0)
        {
            request.GlobalSecondaryIndexes = definition.GlobalSecondaryIndexes.Select(g => new GlobalSecondaryIndex
            {
                IndexName = g.IndexName,
                KeySchema = Keys(g.KeySchema),
                Projection = ProjectionOf(g.Projection),
                ProvisionedThroughput = provisioned ? Throughput(g.ProvisionedThroughput) : null,
                OnDemandThroughput = provisioned ? null : Limits(g.OnDemandThroughput),
            }).ToList();
        }

        if (definition.LocalSecondaryIndexes.Count > 0)
        {
            request.LocalSecondaryIndexes = definition.LocalSecondaryIndexes.Select(l => new LocalSecondaryIndex
            {
                IndexName = l.IndexName,
                KeySchema = Keys(l.KeySchema),
                Projection = ProjectionOf(l.Projection),
            }).ToList();
        }

        if (definition.StreamViewType is { } view)
        {
            request.StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = new StreamViewType(view) };
        }

        if (definition.TableClass is { } tableClass)
        {
            request.TableClass = new TableClass(tableClass);
        }

        if (definition.SseDescription is { } sse)
        {
            request.SSESpecification = new SSESpecification { Enabled = true, SSEType = new SSEType(sse.SseType), KMSMasterKeyId = sse.KmsMasterKeyArn };
        }

        return request;
    }

    private static List<KeySchemaElement> Keys(IEnumerable<KeyElement> keys) =>
        keys.Select(k => new KeySchemaElement(k.AttributeName, new KeyType(k.KeyType))).ToList();

    private static Amazon.DynamoDBv2.Model.Projection ProjectionOf(Projection projection) => new()
    {
        ProjectionType = new ProjectionType(projection.ProjectionType),
        NonKeyAttributes = projection.NonKeyAttributes.Count > 0 ? projection.NonKeyAttributes.ToList() : null,
    };

    private static ProvisionedThroughput Throughput(Throughput? throughput) =>
        new(throughput?.ReadCapacityUnits ?? 5, throughput?.WriteCapacityUnits ?? 5);

    private static OnDemandThroughput? Limits(OnDemandLimits? limits) => limits is null
        ? null
        : new OnDemandThroughput { MaxReadRequestUnits = limits.MaxReadRequestUnits, MaxWriteRequestUnits = limits.MaxWriteRequestUnits };
}
