using System.Globalization;
using System.Text;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.TestSupport;

/// <summary>Makes test items: plain ones of a given size, and ones holding every DynamoDB attribute type.</summary>
public static class ItemFactory
{
    /// <summary>An item with key pk = "item-{i}" and a payload that brings it to about <paramref name="bytes"/> bytes.</summary>
    public static Dictionary<string, AttributeValue> Sized(int i, int bytes = 1000, string hashKey = "pk") => new()
    {
        [hashKey] = new AttributeValue { S = "item-" + i.ToString("D7", CultureInfo.InvariantCulture) },
        ["n"] = new AttributeValue { N = i.ToString(CultureInfo.InvariantCulture) },
        ["payload"] = new AttributeValue { S = new string((char)('a' + i % 26), Math.Max(1, bytes - 40)) },
    };

    public static IEnumerable<Dictionary<string, AttributeValue>> Many(int count, int bytes = 1000) =>
        Enumerable.Range(0, count).Select(i => Sized(i, bytes));

    /// <summary>Items that together use every attribute type, edge values included.</summary>
    public static List<Dictionary<string, AttributeValue>> EveryType()
    {
        var big = new byte[350 * 1024];
        new Random(7).NextBytes(big);
        return
        [
            new()
            {
                ["pk"] = S("scalars"),
                ["s"] = S("plain text"),
                ["n38"] = N("12345678901234567890123456789012345678"),
                ["nNeg"] = N("-0.000000000000000000000000000000000000001"),
                ["nBig"] = N("9.9999999999999999999999999999999999999E+125"),
                ["b"] = new AttributeValue { B = new MemoryStream([0, 1, 2, 254, 255]) },
                ["t"] = new AttributeValue { BOOL = true },
                ["f"] = new AttributeValue { BOOL = false },
                ["nul"] = new AttributeValue { NULL = true },
            },
            new()
            {
                ["pk"] = S("sets"),
                ["ss"] = new AttributeValue { SS = ["a", "b", "ünï"] },
                ["ns"] = new AttributeValue { NS = ["1", "2.5", "-3", "12345678901234567890123456789012345678"] },
                ["bs"] = new AttributeValue { BS = [new MemoryStream([1]), new MemoryStream([2, 3])] },
            },
            new()
            {
                ["pk"] = S("nested"),
                ["m"] = new AttributeValue
                {
                    M = new Dictionary<string, AttributeValue>
                    {
                        ["inner"] = new() { L = [S("x"), N("1"), new AttributeValue { BOOL = false }, new AttributeValue { NULL = true }] },
                        ["deeper"] = new() { M = new Dictionary<string, AttributeValue> { ["leaf"] = new() { SS = ["p", "q"] } } },
                        ["emptyMap"] = new() { M = [] },
                    },
                },
                ["l"] = new AttributeValue { L = [new AttributeValue { M = new Dictionary<string, AttributeValue> { ["k"] = N("7") } }, new AttributeValue { L = [] }] },
            },
            new() { ["pk"] = S("ключ-キー-🔑"), ["ユニコード属性"] = S("значение ✓ 😀") },
            new() { ["pk"] = S("large-string"), ["s"] = S(new string('x', 399 * 1024)) },
            new() { ["pk"] = S("large-binary"), ["b"] = new AttributeValue { B = new MemoryStream(big) } },
        ];
    }

    /// <summary>A canonical text form of an item, for comparing two tables exactly (sets are compared as sets).</summary>
    public static string Canonical(Dictionary<string, AttributeValue> item)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in item.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append('=').Append(Canonical(value)).Append(';');
        }

        return text.ToString();
    }

    private static string Canonical(AttributeValue v)
    {
        if (v.S is not null) return "S:" + v.S;
        if (v.N is not null) return "N:" + v.N;
        if (v.B is not null) return "B:" + Convert.ToBase64String(v.B.ToArray());
        if (v.BOOL is not null) return "BOOL:" + v.BOOL;
        if (v.NULL is not null) return "NULL:" + v.NULL;
        if (v.SS is not null) return "SS:[" + string.Join(",", v.SS.Order(StringComparer.Ordinal)) + "]";
        if (v.NS is not null) return "NS:[" + string.Join(",", v.NS.Order(StringComparer.Ordinal)) + "]";
        if (v.BS is not null) return "BS:[" + string.Join(",", v.BS.Select(b => Convert.ToBase64String(b.ToArray())).Order(StringComparer.Ordinal)) + "]";
        if (v.L is not null) return "L:[" + string.Join(",", v.L.Select(Canonical)) + "]";
        if (v.M is not null) return "M:{" + string.Join(",", v.M.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + Canonical(kv.Value))) + "}";
        return "?";
    }

    private static AttributeValue S(string s) => new() { S = s };

    private static AttributeValue N(string n) => new() { N = n };
}
