using Amazon.DynamoDBv2.Model;

using DdbCopy.Core.Engine;

namespace DdbCopy.Tests.Engine;

public sealed class BatchSplitterTests
{
    private static Dictionary<string, AttributeValue> Item(int i, int payload = 10) => new()
    {
        ["pk"] = new AttributeValue { S = $"k{i}" },
        ["p"] = new AttributeValue { S = new string('x', payload) },
    };

    [Fact]
    public void Split_CutsIntoBatchesOfAtMost25Items()
    {
        var batches = BatchSplitter.Split(Enumerable.Range(0, 60).Select(i => Item(i)).ToList()).ToList();

        Assert.Equal([25, 25, 10], batches.Select(b => b.Count));
        Assert.Equal(60, batches.SelectMany(b => b.Items).Distinct().Count());
    }

    [Fact]
    public void Split_KeepsEachBatchUnder16Megabytes()
    {
        // 25 items of ~390 KB would be ~9.5 MB; with a 1 MB cap (scaled-down limit) each batch holds 2.
        var items = Enumerable.Range(0, 5).Select(i => Item(i, 400_000)).ToList();

        var batches = BatchSplitter.Split(items, maxBytes: 1_000_000).ToList();

        Assert.Equal([2, 2, 1], batches.Select(b => b.Count));
        Assert.All(batches, b => Assert.True(b.Sizes.Sum() <= 1_000_000));
    }

    [Fact]
    public void Split_OfNothing_YieldsNothing() => Assert.Empty(BatchSplitter.Split([]));

    [Fact]
    public void Split_RecordsEachItemsSize()
    {
        var batch = Assert.Single(BatchSplitter.Split([Item(1, 100)]));
        Assert.Equal(2 + 2 + 1 + 100, batch.Sizes[0]);
    }
}
