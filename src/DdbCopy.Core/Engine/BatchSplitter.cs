using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Items;

namespace DdbCopy.Core.Engine;

/// <summary>Cuts a page of items into BatchWriteItem-sized batches: at most 25 items and 16 MB each.</summary>
public static class BatchSplitter
{
    public const int MaxItemsPerBatch = DynamoDbLimits.BatchWriteItems;
    public const int MaxBytesPerBatch = DynamoDbLimits.BatchWriteBytes;

    /// <param name="origins">Where each item came from (parallel to <paramref name="items"/>), or null.</param>
    public static IEnumerable<WriteBatch> Split(IReadOnlyList<Dictionary<string, AttributeValue>> items,
        int maxItems = MaxItemsPerBatch, int maxBytes = MaxBytesPerBatch, IReadOnlyList<ItemOrigin>? origins = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        var batch = new List<Dictionary<string, AttributeValue>>(Math.Min(maxItems, items.Count));
        var sizes = new List<int>(batch.Capacity);
        var from = origins is null ? null : new List<ItemOrigin>(batch.Capacity);
        long bytes = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var size = ItemSize.Of(item);
            if (batch.Count > 0 && (batch.Count == maxItems || bytes + size > maxBytes))
            {
                yield return new WriteBatch(batch, sizes, from);
                var capacity = Math.Min(maxItems, items.Count - i);
                batch = new List<Dictionary<string, AttributeValue>>(capacity);
                sizes = new List<int>(capacity);
                from = origins is null ? null : new List<ItemOrigin>(capacity);
                bytes = 0;
            }

            batch.Add(item);
            sizes.Add(size);
            from?.Add(origins![i]);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return new WriteBatch(batch, sizes, from);
        }
    }
}
