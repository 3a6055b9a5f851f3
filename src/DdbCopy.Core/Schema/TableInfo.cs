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
    /// <summary>
    /// What this table is, however an endpoint is spelled: its ARN (account, region, name), its id and when it was
    /// created (DynamoDB Local gives every table the same account and region, but not the same creation time).
    /// Null for a table that does not exist yet, and for a server that gives no ARN.
    /// </summary>
    public string? Identity { get; init; }

    /// <summary>What the table is warmed for (on-demand: about its previous peak), in units per second; null when not known.</summary>
    public long? WarmReadUnits { get; init; }

    /// <summary>What the table is warmed for, in write units per second; null when not known.</summary>
    public long? WarmWriteUnits { get; init; }

    /// <summary>The view type of the table's stream (NEW_IMAGE, NEW_AND_OLD_IMAGES, ...); null when it has no stream enabled.</summary>
    public string? StreamViewType { get; init; }

    /// <summary>The ARN of the table's enabled stream; null when it has none.</summary>
    public string? LatestStreamArn { get; init; }

    /// <summary>Provisioned capacity decreases made today (UTC).</summary>
    public long DecreasesToday { get; init; }

    public string BillingModeName => IsOnDemand ? "PAY_PER_REQUEST" : "PROVISIONED";

    public string DescribeKey() => string.Join(", ", Key.Select(k => k.ToString()));
}
