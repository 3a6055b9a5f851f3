namespace DdbCopy.Core.Schema;

/// <summary>What the copy needs to know about a table, read from DescribeTable.</summary>
public sealed record TableInfo(
    string Name,
    IReadOnlyList<KeyAttribute> Key,
    bool IsOnDemand,
    long ReadCapacityUnits,
    long WriteCapacityUnits,
    long? OnDemandMaxReadUnits,
    long? OnDemandMaxWriteUnits,
    IReadOnlyList<IndexInfo> GlobalSecondaryIndexes,
    long ItemCount,
    long SizeBytes)
{
    public string BillingModeName => IsOnDemand ? "PAY_PER_REQUEST" : "PROVISIONED";

    public string DescribeKey() => string.Join(", ", Key.Select(k => k.ToString()));
}
