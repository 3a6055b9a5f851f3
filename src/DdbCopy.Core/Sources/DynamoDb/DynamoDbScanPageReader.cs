using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Sources.DynamoDb;

/// <summary>Parallel Scan of a DynamoDB table, one segment page per call, with the job's filter when it has one.</summary>
public sealed class DynamoDbScanPageReader(IAmazonDynamoDB client, string tableName, bool consistentRead, ScanFilter? filter = null)
    : IScanPageReader
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
        if (filter is not null)
        {
            request.FilterExpression = filter.Expression;
            request.ExpressionAttributeNames = filter.Names.Count > 0 ? new Dictionary<string, string>(filter.Names) : null;
            request.ExpressionAttributeValues = filter.Values.Count > 0 ? new Dictionary<string, AttributeValue>(filter.Values) : null;
        }

        var response = await client.ScanAsync(request, cancellationToken);
        var next = response.LastEvaluatedKey is { Count: > 0 } key ? key : null;
        var items = response.Items ?? [];
        return new ScanPage(items, next, response.ConsumedCapacity?.CapacityUnits ?? 0, Math.Max(0, (response.ScannedCount ?? items.Count) - items.Count));
    }
}
