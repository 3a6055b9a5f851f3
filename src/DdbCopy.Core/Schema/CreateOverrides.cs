namespace DdbCopy.Core.Schema;

/// <summary>What the user changes when a destination is created from a source definition.</summary>
/// <param name="BillingMode">PROVISIONED or PAY_PER_REQUEST; null keeps the source's.</param>
/// <param name="ReadCapacity">Provisioned RCU for the table and each index; null keeps the source's.</param>
/// <param name="WriteCapacity">Provisioned WCU for the table and each index; null keeps the source's.</param>
/// <param name="KmsKeyId">The KMS key to encrypt with (a key in the destination's account); null keeps the source's.</param>
public sealed record CreateOverrides(string? BillingMode = null, long? ReadCapacity = null, long? WriteCapacity = null, string? KmsKeyId = null)
{
    public static CreateOverrides None { get; } = new();

    /// <summary>The source definition with these changes, named <paramref name="tableName"/>.</summary>
    public TableDefinition Apply(TableDefinition source, string tableName)
    {
        ArgumentNullException.ThrowIfNull(source);
        var billing = BillingMode ?? source.BillingMode;
        var provisioned = billing == "PROVISIONED";
        Throughput? Pick(Throughput? original) => !provisioned
            ? null
            : new Throughput(ReadCapacity ?? original?.ReadCapacityUnits ?? 5, WriteCapacity ?? original?.WriteCapacityUnits ?? 5);
        return source with
        {
            TableName = tableName,
            BillingMode = billing,
            ProvisionedThroughput = Pick(source.ProvisionedThroughput),
            OnDemandThroughput = provisioned ? null : source.OnDemandThroughput,
            GlobalSecondaryIndexes = source.GlobalSecondaryIndexes
                .Select(g => g with { ProvisionedThroughput = Pick(g.ProvisionedThroughput), OnDemandThroughput = provisioned ? null : g.OnDemandThroughput })
                .ToList(),
            SseDescription = KmsKeyId is null ? source.SseDescription : new Encryption("KMS", KmsKeyId),
        };
    }
}
