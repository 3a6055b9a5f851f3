using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Items;

namespace DdbCopy.Core.Engine;

/// <summary>
/// Items that go out in one BatchWriteItem request, with their sizes in bytes and, for items read from files, where
/// each came from (so an item DynamoDB refuses can be reported by file and line).
/// </summary>
public sealed record WriteBatch(IReadOnlyList<Dictionary<string, AttributeValue>> Items, IReadOnlyList<int> Sizes,
    IReadOnlyList<ItemOrigin>? Origins = null)
{
    public static WriteBatch Empty { get; } = new([], []);

    /// <summary>The input unit (a scan page, a run of file records) the batch belongs to, settled once it is written or recorded.</summary>
    public Checkpoints.PageTicket? Ticket { get; init; }

    public int Count => Items.Count;

    /// <summary>Where item <paramref name="index"/> came from, when known.</summary>
    public ItemOrigin? OriginOf(int index) => Origins?[index];

    /// <summary>
    /// The batch's own entries for <paramref name="items"/> (what a write left unprocessed), keeping their sizes and
    /// origins; items that are not this batch's own objects are sized anew and have no origin.
    /// </summary>
    public WriteBatch Subset(IReadOnlyList<Dictionary<string, AttributeValue>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var positions = new Dictionary<object, int>(Count, ReferenceEqualityComparer.Instance);
        for (var i = 0; i < Count; i++)
        {
            positions[Items[i]] = i;
        }

        var sizes = new List<int>(items.Count);
        var origins = Origins is null ? null : new List<ItemOrigin>(items.Count);
        foreach (var item in items)
        {
            var known = positions.TryGetValue(item, out var at);
            sizes.Add(known ? Sizes[at] : ItemSize.Of(item));
            origins?.Add(known ? Origins![at] : default);
        }

        return new WriteBatch(items, sizes, origins);
    }

    /// <summary>The first and the second half (for isolating an item DynamoDB refuses).</summary>
    public (WriteBatch First, WriteBatch Second) Halves()
    {
        var half = Count / 2;
        return (Slice(0, half), Slice(half, Count - half));
    }

    private WriteBatch Slice(int start, int length) => new(
        Items.Skip(start).Take(length).ToList(),
        Sizes.Skip(start).Take(length).ToList(),
        Origins?.Skip(start).Take(length).ToList());
}

/// <summary>Where an item was read from: a file (path or s3:// URL) and the line its record starts on.</summary>
public readonly record struct ItemOrigin(string File, long Line);
