using DdbCopy.Core.Jobs.Generating;
using DdbCopy.Core.Schema;

namespace DdbCopy.Tests.Generating;

/// <summary>Generated items: the same key for the same index, for any key schema, at about the size asked for.</summary>
public sealed class GeneratedItemsTests
{
    private static readonly KeyAttribute[] HashAndRange = [new("id", "HASH", "N"), new("sort", "RANGE", "B")];

    [Fact]
    public void Item_OfAnIndex_HasTheSameKeyEveryTime_AndEveryIndexItsOwn()
    {
        var items = new GeneratedItems(HashAndRange, 300, rich: false);

        Assert.Equal(items.Key(42)["id"].N, items.Item(42, version: 5)["id"].N);
        Assert.Equal(items.Key(42)["sort"].B.ToArray(), items.Item(42)["sort"].B.ToArray());
        Assert.Equal(1000, Enumerable.Range(0, 1000).Select(i => items.Key(i)["id"].N).Distinct().Count());
    }

    [Theory]
    [InlineData(200, false)]
    [InlineData(1000, true)]
    [InlineData(100 * 1024, true)]
    public void Item_IsAboutTheSizeAskedFor(int bytes, bool rich)
    {
        var items = new GeneratedItems([new KeyAttribute("pk", "HASH", "S")], bytes, rich);

        foreach (var index in new[] { 0, 1, 2, 3, 99 })
        {
            Assert.InRange(DdbCopy.Core.Items.ItemSize.Of(items.Item(index, index, "updatedAt", DateTimeOffset.UnixEpoch)), bytes - 5, bytes + 5);
        }
    }

    [Fact]
    public void Item_WithAConflictAttribute_CarriesTheVersionAndTheTime()
    {
        var item = new GeneratedItems([new KeyAttribute("pk", "HASH", "S")], 200, rich: false)
            .Item(7, 12, "updatedAt", new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));

        Assert.Equal("12", item["version"].N);
        Assert.Equal("2026-11-25T10:00:00.0000000Z", item["updatedAt"].S);
    }
}
