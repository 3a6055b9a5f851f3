using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Formats;

namespace DdbCopy.Tests.Formats;

public sealed class DynamoDbJsonTests
{
    [Fact]
    public void ItemLine_RoundTripsEveryType()
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["pk"] = new() { S = "ключ \"quoted\" 🔑" },
            ["n"] = new() { N = "12345678901234567890123456789012345678" },
            ["b"] = new() { B = new MemoryStream([0, 1, 255]) },
            ["t"] = new() { BOOL = false },
            ["nul"] = new() { NULL = true },
            ["ss"] = new() { SS = ["a", "b"] },
            ["ns"] = new() { NS = ["1", "-2.5"] },
            ["bs"] = new() { BS = [new MemoryStream([1]), new MemoryStream([2])] },
            ["l"] = new() { L = [new AttributeValue { S = "x" }, new AttributeValue { M = new Dictionary<string, AttributeValue> { ["k"] = new() { N = "1" } } }] },
            ["m"] = new() { M = new Dictionary<string, AttributeValue> { ["empty"] = new() { L = [] } } },
        };

        var line = DynamoDbJson.ToJsonLine(item);
        var back = DynamoDbJson.ParseItemLine(line);

        Assert.StartsWith("{\"Item\":{\"pk\":{\"S\":", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
        Assert.Equal(line, DynamoDbJson.ToJsonLine(back));
    }

    [Fact]
    public void ParseItemLine_AcceptsABareItemToo()
    {
        var item = DynamoDbJson.ParseItemLine("{\"pk\":{\"S\":\"a\"},\"n\":{\"N\":\"1\"}}");
        Assert.Equal("a", item["pk"].S);
        Assert.Equal("1", item["n"].N);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("[1,2]", "expected a JSON object")]
    [InlineData("{\"Item\":{\"pk\":\"plain\"}}", "attribute 'pk': expected a typed value")]
    [InlineData("{\"Item\":{\"pk\":{\"X\":\"a\"}}}", "attribute 'pk': unknown or malformed type 'X'")]
    [InlineData("{\"Item\":{\"n\":{\"N\":\"abc\"}}}", "attribute 'n': 'abc' is not a number")]
    [InlineData("{\"Item\":{\"b\":{\"B\":\"***\"}}}", "attribute 'b': B needs base64 text")]
    [InlineData("{\"Item\":{\"m\":{\"M\":{\"x\":{\"S\":1}}}}}", "attribute 'm.x': S needs a string")]
    public void ParseItemLine_ExplainsWhatIsWrong(string line, string expected)
    {
        var error = Assert.Throws<FormatException>(() => DynamoDbJson.ParseItemLine(line));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseItemLine_ReadsTheLowerCaseTypesOfDataPipelineExports()
    {
        var item = DynamoDbJson.ParseItemLine(
            """{"pk":{"s":"a"},"n":{"n":"1"},"b":{"b":"AQI="},"ss":{"sS":["x","y"]},"ns":{"nS":["2"]},"bs":{"bS":["AQ=="]},"m":{"m":{"inner":{"bOOL":true}}},"l":{"l":[{"nULLValue":true}]}}""");

        Assert.Equal("a", item["pk"].S);
        Assert.Equal("1", item["n"].N);
        Assert.Equal([1, 2], item["b"].B.ToArray());
        Assert.Equal(["x", "y"], item["ss"].SS);
        Assert.Equal(["2"], item["ns"].NS);
        Assert.Single(item["bs"].BS);
        Assert.True(item["m"].M["inner"].BOOL);
        Assert.True(item["l"].L[0].NULL);
    }
}
