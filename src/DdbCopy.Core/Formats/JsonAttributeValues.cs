using System.Text.Json;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Formats;

/// <summary>Plain JSON (a database's JSON column, a CSV cell) as attribute values: objects → M, arrays → L, strings → S, numbers → N (their exact text), true/false → BOOL, null → NULL.</summary>
public static class JsonAttributeValues
{
    /// <exception cref="FormatException">The text is not JSON.</exception>
    public static AttributeValue Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return From(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not valid JSON ({ex.Message.Split('.')[0]})", ex);
        }
    }

    public static AttributeValue From(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new AttributeValue { M = element.EnumerateObject().ToDictionary(p => p.Name, p => From(p.Value), StringComparer.Ordinal) },
        JsonValueKind.Array => new AttributeValue { L = element.EnumerateArray().Select(From).ToList() },
        JsonValueKind.String => new AttributeValue { S = element.GetString() },
        JsonValueKind.Number => new AttributeValue { N = element.GetRawText() },
        JsonValueKind.True => new AttributeValue { BOOL = true },
        JsonValueKind.False => new AttributeValue { BOOL = false },
        _ => new AttributeValue { NULL = true },
    };
}
