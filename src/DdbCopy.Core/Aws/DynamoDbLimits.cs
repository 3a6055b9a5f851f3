namespace DdbCopy.Core.Aws;

/// <summary>Limits DynamoDB's API sets on one request (the service's documented quotas).</summary>
public static class DynamoDbLimits
{
    /// <summary>Items in one BatchWriteItem.</summary>
    public const int BatchWriteItems = 25;

    /// <summary>Bytes in one BatchWriteItem.</summary>
    public const int BatchWriteBytes = 16 * 1024 * 1024;
}
