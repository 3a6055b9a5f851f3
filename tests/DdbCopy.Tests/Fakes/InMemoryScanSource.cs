using System.Globalization;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Sources.DynamoDb;

namespace DdbCopy.Tests.Fakes;

/// <summary>A table in memory, scanned by segment (items spread by index), with an optional failure injected.</summary>
internal sealed class InMemoryScanSource(int itemCount, int pageSize = 100) : IScanPageReader
{
    private int _pages;

    /// <summary>Thrown by the scan after this many pages have been served.</summary>
    public (int AfterPages, Exception Error)? FailAfter { get; init; }

    public static Dictionary<string, AttributeValue> Item(int i) => new()
    {
        ["pk"] = new AttributeValue { S = "k" + i.ToString(CultureInfo.InvariantCulture) },
        ["v"] = new AttributeValue { N = i.ToString(CultureInfo.InvariantCulture) },
    };

    public Task<ScanPage> ScanAsync(int segment, int totalSegments, Dictionary<string, AttributeValue>? exclusiveStartKey,
        int? limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (FailAfter is { } failure && Interlocked.Increment(ref _pages) > failure.AfterPages)
        {
            throw failure.Error;
        }

        var mine = Enumerable.Range(0, itemCount).Where(i => i % totalSegments == segment).ToList();
        // Like DynamoDB: the scan continues after the item whose key it is given, and names the key of its last item.
        var start = exclusiveStartKey is null ? 0 : mine.IndexOf(int.Parse(exclusiveStartKey["pk"].S.AsSpan(1), CultureInfo.InvariantCulture)) + 1;
        var take = Math.Min(limit ?? pageSize, pageSize);
        var page = mine.Skip(start).Take(take).Select(Item).ToList();
        var next = start + take < mine.Count ? new Dictionary<string, AttributeValue> { ["pk"] = page[^1]["pk"] } : null;
        return Task.FromResult(new ScanPage(page, next, Math.Max(0.5, page.Count * 0.5)));
    }
}
