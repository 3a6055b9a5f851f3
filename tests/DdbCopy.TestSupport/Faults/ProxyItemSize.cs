using System.Text;
using System.Text.Json.Nodes;

namespace DdbCopy.TestSupport.Faults;

/// <summary>
/// The proxy's own sizing of an item in DynamoDB JSON, from DynamoDB's documented rules (attribute names and values in
/// UTF-8 bytes, numbers about one byte per two digits plus one, 1 byte for BOOL and NULL, 3 bytes for a list or map
/// plus 1 per element), so the capacity it counts does not share code with the tool it checks.
/// </summary>
public static class ProxyItemSize
{
    public static int Of(JsonObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var size = 0;
        foreach (var (name, value) in item)
        {
            size += Encoding.UTF8.GetByteCount(name) + ValueSize(value as JsonObject);
        }

        return size;
    }

    /// <summary>Write capacity units of one put: one per started KB.</summary>
    public static int WriteUnits(JsonObject item) => Math.Max(1, (Of(item) + 1023) / 1024);

    private static int ValueSize(JsonObject? value)
    {
        if (value is null || value.Count != 1)
        {
            return 0;
        }

        var (type, content) = value.First();
        return type switch
        {
            "S" => Encoding.UTF8.GetByteCount(content!.GetValue<string>()),
            "N" => NumberSize(content!.GetValue<string>()),
            "B" => Convert.FromBase64String(content!.GetValue<string>()).Length,
            "BOOL" or "NULL" => 1,
            "SS" => content!.AsArray().Sum(e => Encoding.UTF8.GetByteCount(e!.GetValue<string>())),
            "NS" => content!.AsArray().Sum(e => NumberSize(e!.GetValue<string>())),
            "BS" => content!.AsArray().Sum(e => Convert.FromBase64String(e!.GetValue<string>()).Length),
            "L" => 3 + content!.AsArray().Sum(e => 1 + ValueSize(e as JsonObject)),
            "M" => 3 + content!.AsObject().Sum(e => 1 + Encoding.UTF8.GetByteCount(e.Key) + ValueSize(e.Value as JsonObject)),
            _ => 0,
        };
    }

    private static int NumberSize(string number)
    {
        var digits = number.TrimStart('-').Split('E', 'e')[0].Replace(".", "", StringComparison.Ordinal).Trim('0');
        return Math.Max(1, (digits.Length + 1) / 2) + 1;
    }
}
