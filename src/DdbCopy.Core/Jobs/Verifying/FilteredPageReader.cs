using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Sources.DynamoDb;
using DdbCopy.Core.Sources.Files;

namespace DdbCopy.Core.Jobs.Verifying;

/// <summary>A scan that passes on only the items a repair wants (the pages, their positions and their cost are unchanged).</summary>
public sealed class FilteredPageReader(IScanPageReader inner, Func<Dictionary<string, AttributeValue>, bool> wanted) : IScanPageReader
{
    public async Task<ScanPage> ScanAsync(int segment, int totalSegments, Dictionary<string, AttributeValue>? exclusiveStartKey, int? limit,
        CancellationToken cancellationToken)
    {
        var page = await inner.ScanAsync(segment, totalSegments, exclusiveStartKey, limit, cancellationToken);
        return page with { Items = page.Items.Where(wanted).ToList() };
    }
}

/// <summary>Input records of which only the items a repair wants are passed on.</summary>
public sealed class FilteredItemReader(IItemReader inner, Func<Dictionary<string, AttributeValue>, bool> wanted) : IItemReader
{
    public async IAsyncEnumerable<InputRecord> ReadAsync(TextReader input,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var record in inner.ReadAsync(input, cancellationToken))
        {
            if (record.Item is { } item && wanted(item))
            {
                yield return record;
            }
        }
    }
}
