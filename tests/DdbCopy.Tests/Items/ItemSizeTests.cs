using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Items;

namespace DdbCopy.Tests.Items;

public sealed class ItemSizeTests
{
    [Fact]
    public void Of_CountsNamesAndUtf8Values()
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["pk"] = new() { S = "é" },       // 2 + 2
            ["n"] = new() { N = "12345" },    // 1 + (1 + 3)
            ["b"] = new() { B = new MemoryStream(new byte[10]) }, // 1 + 10
            ["t"] = new() { BOOL = true },    // 1 + 1
        };

        Assert.Equal(4 + 5 + 11 + 2, ItemSize.Of(item));
    }

    [Fact]
    public void Of_CountsNestedValuesWithOverhead()
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["m"] = new() { M = new Dictionary<string, AttributeValue> { ["a"] = new() { S = "xy" } } }, // 1 + 3 + (1 + 1 + 2)
            ["l"] = new() { L = [new AttributeValue { NULL = true }] },                                  // 1 + 3 + (1 + 1)
            ["ss"] = new() { SS = ["ab", "c"] },                                                         // 2 + 3
        };

        Assert.Equal(8 + 6 + 5, ItemSize.Of(item));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1024, 1)]
    [InlineData(1025, 2)]
    [InlineData(400 * 1024, 400)]
    public void WriteUnits_IsOnePerStartedKilobyte(int bytes, int units) => Assert.Equal(units, ItemSize.WriteUnits(bytes));
}
