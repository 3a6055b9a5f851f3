using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Sources;

/// <summary>Parallel Scan of a DynamoDB table, one segment page per call.</summary>
public sealed class DynamoDbScanPageReader(IAmazonDynamoDB client, string tableName, bool consistentRead) : IScanPageReader
{
    public async Task<ScanPage> ScanAsync(int segment, int totalSegments, Dictionary<string, AttributeValue>? exclusiveStartKey,
        int? limit, CancellationToken cancellationToken)
    {
        var request = new ScanRequest
        {
            TableName = tableName,
            Segment = segment,
            TotalSegments = totalSegments,
            ExclusiveStartKey = exclusiveStartKey,
            Limit = limit,
            ConsistentRead = consistentRead,
            ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
        };
        var response = await client.ScanAsync(request, cancellationToken);
        var next = response.LastEvaluatedKey is { Count: > 0 } key ? key : null;
        return new ScanPage(response.Items ?? [], next, response.ConsumedCapacity?.CapacityUnits ?? 0);
    }
}
