using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Shaping;

namespace DdbCopy.Tests.Shaping;

public sealed class FilterExpressionTests
{
    private static readonly Dictionary<string, AttributeValue> Item = new()
    {
        ["pk"] = new AttributeValue { S = "order#1" },
        ["n"] = new AttributeValue { N = "12345678901234567890123456789012345678" },
        ["small"] = new AttributeValue { N = "2.50" },
        ["status"] = new AttributeValue { S = "shipped" },
        ["tags"] = new AttributeValue { SS = ["red", "blue"] },
        ["orderLines"] = new AttributeValue { L = [new AttributeValue { M = new() { ["sku"] = new AttributeValue { S = "A-1" } } }] },
        ["address"] = new AttributeValue { M = new() { ["city"] = new AttributeValue { S = "Zürich" } } },
    };

    private static readonly Dictionary<string, AttributeValue> Values = new()
    {
        [":big"] = new AttributeValue { N = "12345678901234567890123456789012345677" },
        [":two"] = new AttributeValue { N = "2.5" },
        [":three"] = new AttributeValue { N = "3e0" },
        [":s"] = new AttributeValue { S = "shipped" },
        [":o"] = new AttributeValue { S = "order#" },
        [":red"] = new AttributeValue { S = "red" },
        [":z"] = new AttributeValue { S = "Zürich" },
        [":sku"] = new AttributeValue { S = "A-1" },
        [":ss"] = new AttributeValue { S = "SS" },
        [":len"] = new AttributeValue { N = "7" },
    };

    [Theory]
    [InlineData("n > :big", true)] // 38 digits, compared exactly
    [InlineData("small = :two", true)] // 2.50 = 2.5
    [InlineData("small BETWEEN :two AND :three", true)]
    [InlineData("small > :three", false)]
    [InlineData("#s = :s", true)]
    [InlineData("#s <> :s", false)]
    [InlineData("begins_with(pk, :o)", true)]
    [InlineData("contains(tags, :red)", true)]
    [InlineData("contains(#s, :red)", false)]
    [InlineData("address.city = :z", true)]
    [InlineData("orderLines[0].sku = :sku", true)]
    [InlineData("orderLines[1].sku = :sku", false)]
    [InlineData("attribute_exists(address.city) AND attribute_not_exists(absent)", true)]
    [InlineData("attribute_type(tags, :ss)", true)]
    [InlineData("size(#s) = :len", true)]
    [InlineData("#s IN (:red, :s)", true)]
    [InlineData("absent = :s", false)] // a comparison with a absent attribute is false...
    [InlineData("absent <> :s", true)] // ...but <> is true, as DynamoDB answers
    [InlineData("#s <> :two", true)] // and true for two types
    [InlineData("NOT absent = :s", true)]
    [InlineData("n < :big OR #s = :s AND small = :two", true)] // AND binds tighter than OR
    [InlineData("(n < :big OR #s = :s) and NOT small = :two", false)] // keywords in any case
    [InlineData("#s > :two", false)] // a string and a number cannot be compared
    public void Matches_LikeDynamoDB(string expression, bool expected)
    {
        var filter = FilterExpression.Parse(expression, new Dictionary<string, string> { ["#s"] = "status" }, Values);

        Assert.Equal(expected, filter.Matches(Item));
    }

    [Theory]
    [InlineData("#x = :s", "#x is not defined in --expressionAttributeNames")]
    [InlineData("#s = :nope", ":nope is not defined in --expressionAttributeValues")]
    [InlineData("#s = ", "expected an attribute name")]
    [InlineData("#s = :s extra", "unexpected text")]
    [InlineData("#s BETWEEN :s :s", "expected AND in BETWEEN")]
    public void Parse_WithAMistake_SaysWhatAndWhere(string expression, string message)
    {
        var error = Assert.Throws<FormatException>(() => FilterExpression.Parse(expression, new Dictionary<string, string> { ["#s"] = "status" }, Values));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
