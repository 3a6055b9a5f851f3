namespace DdbCopy.Core.Schema;

/// <summary>
/// A table's definition as ddbcopy copies it: what CreateTable needs, plus what must be set after creation (TTL, tags,
/// point-in-time recovery). Lists are kept in a stable order so two definitions compare as values. This is also the
/// JSON of `ddbcopy schema export` and of --schemaFile.
/// </summary>
public sealed record TableDefinition
{
    public required string TableName { get; init; }
    public required IReadOnlyList<KeyElement> KeySchema { get; init; }
    public required IReadOnlyList<AttributeType> AttributeDefinitions { get; init; }

    /// <summary>PROVISIONED or PAY_PER_REQUEST.</summary>
    public required string BillingMode { get; init; }
    public Throughput? ProvisionedThroughput { get; init; }
    public OnDemandLimits? OnDemandThroughput { get; init; }
    public IReadOnlyList<GlobalIndex> GlobalSecondaryIndexes { get; init; } = [];
    public IReadOnlyList<LocalIndex> LocalSecondaryIndexes { get; init; } = [];

    /// <summary>The stream view type (NEW_AND_OLD_IMAGES ...) when a stream is enabled, else null.</summary>
    public string? StreamViewType { get; init; }
    public string? TableClass { get; init; }
    public Encryption? SseDescription { get; init; }

    /// <summary>The TTL attribute when TTL is enabled, else null.</summary>
    public string? TimeToLiveAttribute { get; init; }

    /// <summary>Tags; null when they could not be read (the server does not support tagging).</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>Point-in-time recovery; null when it could not be read.</summary>
    public bool? PointInTimeRecovery { get; init; }
    public bool DeletionProtection { get; init; }
}

public sealed record KeyElement(string AttributeName, string KeyType);

public sealed record AttributeType(string AttributeName, string Type);

public sealed record Throughput(long ReadCapacityUnits, long WriteCapacityUnits);

public sealed record OnDemandLimits(long? MaxReadRequestUnits, long? MaxWriteRequestUnits);

public sealed record Projection(string ProjectionType, IReadOnlyList<string> NonKeyAttributes);

public sealed record GlobalIndex(string IndexName, IReadOnlyList<KeyElement> KeySchema, Projection Projection,
    Throughput? ProvisionedThroughput, OnDemandLimits? OnDemandThroughput);

public sealed record LocalIndex(string IndexName, IReadOnlyList<KeyElement> KeySchema, Projection Projection);

/// <summary>Server-side encryption: SSEType KMS with a key, or null for the AWS-owned default.</summary>
public sealed record Encryption(string SseType, string? KmsMasterKeyArn);
