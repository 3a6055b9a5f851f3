using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Items;

namespace DdbCopy.Tests.Items;

/// <summary>Two items hash alike exactly when DynamoDB holds them equal.</summary>
public sealed class CanonicalItemTests
{
    private static AttributeValue S(string s) => new() { S = s };

    private static AttributeValue N(string n) => new() { N = n };

    private static Dictionary<string, AttributeValue> Item(params (string Name, AttributeValue Value)[] attributes) =>
        attributes.ToDictionary(a => a.Name, a => a.Value);

    private static bool Same(Dictionary<string, AttributeValue> a, Dictionary<string, AttributeValue> b) => CanonicalItem.Hash(a) == CanonicalItem.Hash(b);

    [Theory]
    [InlineData("1.5", "1.50")]
    [InlineData("1.5", "15E-1")]
    [InlineData("100", "1e2")]
    [InlineData("100", "1.00E+2")]
    [InlineData("0", "-0.000")]
    [InlineData("0.001", "1e-3")]
    [InlineData("-7", "-007.0")]
    [InlineData("12345678901234567890123456789012345678", "1.2345678901234567890123456789012345678E37")]
    public void Numbers_EqualByValue_HashAlike(string a, string b)
    {
        Assert.Equal(CanonicalItem.Number(a), CanonicalItem.Number(b));
        Assert.True(Same(Item(("n", N(a))), Item(("n", N(b)))));
    }

    [Theory]
    [InlineData("1.5", "1.51")]
    [InlineData("1", "-1")]
    [InlineData("10", "1")]
    [InlineData("0.1", "1")]
    [InlineData("12345678901234567890123456789012345678", "12345678901234567890123456789012345679")]
    public void Numbers_OfDifferentValue_HashApart(string a, string b)
    {
        Assert.False(Same(Item(("n", N(a))), Item(("n", N(b)))));
    }

    [Fact]
    public void Sets_InAnyOrder_HashAlike_AndNumberSetsByValue()
    {
        Assert.True(Same(Item(("s", new AttributeValue { SS = ["a", "b", "c"] })), Item(("s", new AttributeValue { SS = ["c", "a", "b"] }))));
        Assert.True(Same(Item(("s", new AttributeValue { NS = ["1", "2.50"] })), Item(("s", new AttributeValue { NS = ["2.5", "1.0"] }))));
        Assert.True(Same(Item(("s", new AttributeValue { BS = [new MemoryStream([1]), new MemoryStream([2, 3])] })),
            Item(("s", new AttributeValue { BS = [new MemoryStream([2, 3]), new MemoryStream([1])] }))));
        Assert.False(Same(Item(("s", new AttributeValue { SS = ["a", "b"] })), Item(("s", new AttributeValue { SS = ["a", "b", "c"] }))));
    }

    [Fact]
    public void Lists_KeepTheirOrder_AndMapsDoNot()
    {
        Assert.False(Same(Item(("l", new AttributeValue { L = [S("a"), S("b")] })), Item(("l", new AttributeValue { L = [S("b"), S("a")] }))));
        Assert.True(Same(Item(("a", S("1")), ("b", S("2"))), Item(("b", S("2")), ("a", S("1")))));
    }

    [Fact]
    public void AChangeDeepInANestedMap_HashesApart()
    {
        static Dictionary<string, AttributeValue> Nested(string leaf) => Item(("pk", S("k")), ("m", new AttributeValue
        {
            M = new() { ["a"] = new AttributeValue { M = new() { ["b"] = new AttributeValue { L = [new AttributeValue { M = new() { ["c"] = N(leaf) } }] } } } },
        }));

        Assert.True(Same(Nested("3"), Nested("3.0")));
        Assert.False(Same(Nested("3"), Nested("4")));
    }

    [Fact]
    public void Types_Differ_EvenWithTheSameText()
    {
        Assert.False(Same(Item(("x", S("1"))), Item(("x", N("1")))));
        Assert.False(Same(Item(("x", new AttributeValue { BOOL = true })), Item(("x", new AttributeValue { BOOL = false }))));
        Assert.False(Same(Item(("x", new AttributeValue { NULL = true })), Item(("x", S("")))));
        Assert.False(Same(Item(("x", new AttributeValue { SS = ["1"] })), Item(("x", new AttributeValue { NS = ["1"] }))));
        Assert.False(Same(Item(("ab", S("c"))), Item(("a", S("bc")))));
        Assert.False(Same(Item(("x", S("a"))), Item(("x", S("a")), ("y", S("b")))));
    }

    [Fact]
    public void KeyHash_DependsOnlyOnTheKey_AndNumberKeysByValue()
    {
        Assert.Equal(CanonicalItem.KeyHash(Item(("pk", N("10")), ("v", S("a"))), ["pk"]), CanonicalItem.KeyHash(Item(("pk", N("1e1")), ("v", S("b"))), ["pk"]));
        Assert.NotEqual(CanonicalItem.KeyHash(Item(("pk", S("a")), ("sk", S("b"))), ["pk", "sk"]), CanonicalItem.KeyHash(Item(("pk", S("a")), ("sk", S("c"))), ["pk", "sk"]));
    }
}
