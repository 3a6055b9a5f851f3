using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Sources.DynamoDb;

/// <summary>Reads one page of one scan segment. The real one calls DynamoDB Scan; tests use fakes.</summary>
public interface IScanPageReader
{
    Task<ScanPage> ScanAsync(int segment, int totalSegments, Dictionary<string, AttributeValue>? exclusiveStartKey,
        int? limit, CancellationToken cancellationToken);
}
