using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Items;
using DdbCopy.Core.Schema;

namespace DdbCopy.Core.Sources;

/// <summary>Whether an item can be written to a table with this key: every source kind checks each item it reads with it.</summary>
public static class ItemKeyCheck
{
    /// <summary>Why DynamoDB would refuse the item as a whole (its key, its size), or null.</summary>
    public static string? Problem(Dictionary<string, AttributeValue> item, IReadOnlyList<KeyAttribute> key)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(key);
        foreach (var attribute in key)
        {
            if (!item.TryGetValue(attribute.Name, out var value))
            {
                return $"the key attribute '{attribute.Name}' is missing";
            }

            var matches = attribute.AttributeType switch
            {
                "S" => value.S is { Length: > 0 },
                "N" => value.N is not null,
                "B" => value.B is { Length: > 0 },
                _ => true,
            };
            if (!matches)
            {
                return $"the key attribute '{attribute.Name}' must be a non-empty {attribute.AttributeType}";
            }
        }

        var size = ItemSize.Of(item);
        return size > ItemSize.MaxItemBytes
            ? $"the item is {size} bytes, over DynamoDB's limit of {ItemSize.MaxItemBytes} bytes (400 KB)"
            : null;
    }
}
