using System.Text;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Shaping;

namespace DdbCopy.Tests.Shaping;

public sealed class ItemShaperTests
{
    private static readonly string[] Key = ["pk", "sk"];

    private static Dictionary<string, AttributeValue> Item() => new()
    {
        ["pk"] = new AttributeValue { S = "t1" },
        ["sk"] = new AttributeValue { N = "1" },
        ["name"] = new AttributeValue { S = "n" },
        ["audit"] = new AttributeValue { S = "a" },
        ["address"] = new AttributeValue { M = new() { ["city"] = new AttributeValue { S = "c" }, ["geo"] = new AttributeValue { S = "g" } } },
        ["lines"] = new AttributeValue { L = [new AttributeValue { S = "l0" }, new AttributeValue { S = "l1" }] },
    };

    [Fact]
    public void Projection_KeepsThePathsAndTheKey()
    {
        var shaper = new ItemShaper(new ShapeSettings { ProjectionExpression = "#n, address.city, lines[1]", Names = new Dictionary<string, string> { ["#n"] = "name" } },
            Key, filterHere: true);

        var item = shaper.Shape(Item(), out var refused)!;

        Assert.Null(refused);
        Assert.Equal(["address", "lines", "name", "pk", "sk"], item.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["city"], item["address"].M.Keys);
        Assert.Equal("l1", Assert.Single(item["lines"].L).S);
    }

    [Fact]
    public void DropAndRename_ChangeTheItem()
    {
        var shaper = new ItemShaper(new ShapeSettings { DropAttributes = ["audit", "address.geo"], Renames = [new AttributeRename("name", "fullName")] },
            Key, filterHere: true);

        var item = shaper.Shape(Item(), out _)!;

        Assert.False(item.ContainsKey("audit"));
        Assert.False(item["address"].M.ContainsKey("geo"));
        Assert.Equal("n", item["fullName"].S);
        Assert.False(item.ContainsKey("name"));
    }

    [Fact]
    public void Rename_IntoANameTheItemHas_IsRefusedWithTheReason()
    {
        var shaper = new ItemShaper(new ShapeSettings { Renames = [new AttributeRename("name", "audit")] }, Key, filterHere: true);

        shaper.Shape(Item(), out var refused);

        Assert.Equal("--renameAttribute name=audit: the item already has an attribute 'audit'", refused);
    }

    [Fact]
    public void Filter_WhenEvaluatedHere_LeavesItemsOut()
    {
        var settings = new ShapeSettings { FilterExpression = "sk > :one", Values = new Dictionary<string, AttributeValue> { [":one"] = new() { N = "1" } } };

        Assert.Null(new ItemShaper(settings, Key, filterHere: true).Shape(Item(), out _));
        Assert.NotNull(new ItemShaper(settings, Key, filterHere: false).Shape(Item(), out _)); // the Scan applied it
    }

    [Theory]
    [InlineData("mask", "--mask would change the key attribute 'pk'")]
    [InlineData("rename", "--renameAttribute would change the key attribute 'pk'")]
    [InlineData("drop", "--dropAttributes cannot drop the key attribute 'sk'")]
    [InlineData("into", "--renameAttribute name=sk: 'sk' is a key attribute")]
    public void KeyChanges_AreRefusedUpFront(string change, string message)
    {
        var settings = change switch
        {
            "mask" => new ShapeSettings { MaskPaths = ["pk"], MaskKey = Encoding.UTF8.GetBytes("0123456789abcdef") },
            "rename" => new ShapeSettings { Renames = [new AttributeRename("pk", "id")] },
            "drop" => new ShapeSettings { DropAttributes = ["sk"], AllowKeyChanges = true },
            _ => new ShapeSettings { Renames = [new AttributeRename("name", "sk")] },
        };

        var error = Assert.Throws<DdbCopyException>(() => new ItemShaper(settings, Key, filterHere: true));

        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyChanges_WithAllowKeyChanges_AreMade()
    {
        var settings = new ShapeSettings
        {
            MaskPaths = ["sk"], MaskKey = Encoding.UTF8.GetBytes("0123456789abcdef"), Renames = [new AttributeRename("pk", "tenant")], AllowKeyChanges = true,
        };
        var shaper = new ItemShaper(settings, Key, filterHere: true);

        var item = shaper.Shape(Item(), out _)!;

        Assert.Equal("t1", item["tenant"].S);
        Assert.Matches("^[1-9]$|^[0-9]$", item["sk"].N);
        Assert.Equal(["tenant", "sk"], Key.Select(settings.WrittenNameOf)); // the key the destination is checked against
    }
}
