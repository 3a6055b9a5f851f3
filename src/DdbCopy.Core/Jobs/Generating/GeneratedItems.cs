using System.Globalization;
using System.Text;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Schema;

namespace DdbCopy.Core.Jobs.Generating;

/// <summary>
/// The items of a generated table: item <c>i</c> always has the same key (made for the table's key schema from
/// <c>i</c>) and a payload that brings it to about the size asked for; with <c>rich</c>, items cycle through every
/// attribute type (sets, lists, nested maps, binary, booleans, null, large and small numbers).
/// </summary>
public sealed class GeneratedItems(IReadOnlyList<KeyAttribute> key, int itemBytes, bool rich)
{
    /// <summary>The key of item <paramref name="index"/>.</summary>
    public Dictionary<string, AttributeValue> Key(long index)
    {
        var item = new Dictionary<string, AttributeValue>(key.Count + 6, StringComparer.Ordinal);
        foreach (var attribute in key)
        {
            item[attribute.Name] = attribute.AttributeType switch
            {
                "N" => new AttributeValue { N = index.ToString(CultureInfo.InvariantCulture) },
                "B" => new AttributeValue { B = new MemoryStream(Encoding.UTF8.GetBytes(Text(index))) },
                _ => new AttributeValue { S = Text(index) },
            };
        }

        return item;
    }

    /// <summary>Item <paramref name="index"/>, at <paramref name="version"/> (0 when first written), stamped with <paramref name="stamp"/> in <paramref name="stampAttribute"/> when given.</summary>
    public Dictionary<string, AttributeValue> Item(long index, long version = 0, string? stampAttribute = null, DateTimeOffset? stamp = null)
    {
        var item = Key(index);
        item["version"] = new AttributeValue { N = version.ToString(CultureInfo.InvariantCulture) };
        if (stampAttribute is not null && stamp is { } at)
        {
            item[stampAttribute] = new AttributeValue { S = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) };
        }

        if (rich)
        {
            AddRich(item, index, version);
        }

        var used = Items.ItemSize.Of(item);
        var pad = Math.Max(1, itemBytes - used - "payload".Length);
        item["payload"] = new AttributeValue { S = new string((char)('a' + (index + version) % 26), pad) };
        return item;
    }

    private static string Text(long index) => "item-" + index.ToString("D9", CultureInfo.InvariantCulture);

    /// <summary>A few attributes of every type, varying with the item and its version.</summary>
    private static void AddRich(Dictionary<string, AttributeValue> item, long index, long version)
    {
        var n = index + version;
        switch (index % 4)
        {
            case 0:
                item["s"] = new AttributeValue { S = $"text {n} ünïcødé ✓" };
                item["n"] = new AttributeValue { N = (n * 1.5m).ToString(CultureInfo.InvariantCulture) };
                item["big"] = new AttributeValue { N = "12345678901234567890123456789012345678" };
                item["bool"] = new AttributeValue { BOOL = n % 2 == 0 };
                item["null"] = new AttributeValue { NULL = true };
                break;
            case 1:
                item["ss"] = new AttributeValue { SS = ["a", "b", $"c{n}"] };
                item["ns"] = new AttributeValue { NS = ["1", "-2.5", n.ToString(CultureInfo.InvariantCulture) + "0"] };
                item["bs"] = new AttributeValue { BS = [new MemoryStream([0, 255]), new MemoryStream(BitConverter.GetBytes(n))] };
                break;
            case 2:
                item["m"] = new AttributeValue
                {
                    M = new Dictionary<string, AttributeValue>
                    {
                        ["inner"] = new() { M = new Dictionary<string, AttributeValue> { ["leaf"] = new() { N = n.ToString(CultureInfo.InvariantCulture) } } },
                        ["list"] = new() { L = [new AttributeValue { S = "x" }, new AttributeValue { BOOL = false }, new AttributeValue { NULL = true }] },
                    },
                };
                break;
            default:
                item["l"] = new AttributeValue { L = [new AttributeValue { N = "-0.001" }, new AttributeValue { M = [] }, new AttributeValue { L = [] }] };
                item["b"] = new AttributeValue { B = new MemoryStream(BitConverter.GetBytes(n)) };
                break;
        }
    }
}
