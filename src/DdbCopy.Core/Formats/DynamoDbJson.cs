using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Formats;

/// <summary>
/// DynamoDB JSON: the typed form the DynamoDB API and its S3 export use (<c>{"pk":{"S":"a"},"n":{"N":"1"}}</c>).
/// Reading also accepts the lower-case type names of legacy AWS Data Pipeline exports.
/// Written by hand on System.Text.Json because the SDK keeps its own marshallers internal.
/// </summary>
public static class DynamoDbJson
{
    /// <summary>The type names of AWS Data Pipeline's DynamoDB exports (<c>{"s":"text"}</c>, <c>{"nULLValue":true}</c>), read as their API names.</summary>
    private static readonly Dictionary<string, string> DataPipelineTypes = new(StringComparer.Ordinal)
    {
        ["s"] = "S", ["n"] = "N", ["b"] = "B", ["sS"] = "SS", ["nS"] = "NS", ["bS"] = "BS",
        ["m"] = "M", ["l"] = "L", ["bOOL"] = "BOOL", ["nULLValue"] = "NULL",
    };

    /// <summary>Writes one export line: <c>{"Item":{...}}</c>.</summary>
    public static void WriteItemLine(Utf8JsonWriter writer, IReadOnlyDictionary<string, AttributeValue> item)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WritePropertyName("Item");
        WriteItem(writer, item);
        writer.WriteEndObject();
    }

    public static void WriteItem(Utf8JsonWriter writer, IReadOnlyDictionary<string, AttributeValue> item)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(item);
        writer.WriteStartObject();
        foreach (var (name, value) in item)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>Name of the field a dead-letter line carries beside <c>Item</c> when DynamoDB refused the item.</summary>
    public const string ErrorField = "Error";

    /// <summary>One export line: <c>{"Item":{...}}</c>.</summary>
    public static string ToJsonLine(IReadOnlyDictionary<string, AttributeValue> item) => ToJsonLine(item, null);

    /// <param name="error">Why DynamoDB refused the item (a dead-letter line), or null for a plain export line.</param>
    public static string ToJsonLine(IReadOnlyDictionary<string, AttributeValue> item, string? error)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            if (error is null)
            {
                WriteItemLine(writer, item);
            }
            else
            {
                writer.WriteStartObject();
                writer.WritePropertyName("Item");
                WriteItem(writer, item);
                writer.WriteString(ErrorField, error);
                writer.WriteEndObject();
            }
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// Reads one line: either <c>{"Item":{...}}</c> (an export or dead-letter line, which may carry a string
    /// <c>"Error"</c> beside the item) or a bare item.
    /// </summary>
    /// <exception cref="FormatException">The line is not DynamoDB JSON; the message says why.</exception>
    public static Dictionary<string, AttributeValue> ParseItemLine(string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not valid JSON ({ex.Message.Split('.')[0]})", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("expected a JSON object");
            }

            var wrapper = root.TryGetProperty("Item", out var wrapped) && wrapped.ValueKind == JsonValueKind.Object
                && (CountProperties(root) == 1
                    || (CountProperties(root) == 2 && root.TryGetProperty(ErrorField, out var error) && error.ValueKind == JsonValueKind.String));
            var item = wrapper ? wrapped : root;
            return ReadItem(item, "");
        }
    }

    public static Dictionary<string, AttributeValue> ReadItem(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{Where(path)}expected an object of attributes");
        }

        var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            item[property.Name] = ReadValue(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}");
        }

        return item;
    }

    private static void WriteValue(Utf8JsonWriter writer, AttributeValue value)
    {
        writer.WriteStartObject();
        if (value.S is not null) writer.WriteString("S", value.S);
        else if (value.N is not null) writer.WriteString("N", value.N);
        else if (value.B is not null) writer.WriteString("B", Convert.ToBase64String(value.B.ToArray()));
        else if (value.BOOL is not null) writer.WriteBoolean("BOOL", value.BOOL.Value);
        else if (value.NULL is not null) writer.WriteBoolean("NULL", true);
        else if (value.SS is not null) WriteStrings(writer, "SS", value.SS);
        else if (value.NS is not null) WriteStrings(writer, "NS", value.NS);
        else if (value.BS is not null) WriteStrings(writer, "BS", value.BS.Select(b => Convert.ToBase64String(b.ToArray())));
        else if (value.L is not null)
        {
            writer.WriteStartArray("L");
            foreach (var element in value.L)
            {
                WriteValue(writer, element);
            }

            writer.WriteEndArray();
        }
        else if (value.M is not null)
        {
            writer.WritePropertyName("M");
            WriteItem(writer, value.M);
        }
        else
        {
            throw new InvalidOperationException("An attribute value with no type cannot be written.");
        }

        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static AttributeValue ReadValue(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object || CountProperties(element) != 1)
        {
            throw new FormatException($"{Where(path)}expected a typed value such as {{\"S\":\"text\"}}");
        }

        var property = element.EnumerateObject().First();
        var v = property.Value;
        return DataPipelineTypes.GetValueOrDefault(property.Name, property.Name) switch
        {
            "S" => new AttributeValue { S = String(v, path, "S") },
            "N" => new AttributeValue { N = Number(v, path) },
            "B" => new AttributeValue { B = new MemoryStream(Binary(v, path)) },
            "BOOL" when v.ValueKind is JsonValueKind.True or JsonValueKind.False => new AttributeValue { BOOL = v.GetBoolean() },
            "NULL" when v.ValueKind == JsonValueKind.True => new AttributeValue { NULL = true },
            "SS" => new AttributeValue { SS = Array(v, path, "SS").Select(e => String(e, path, "SS")).ToList() },
            "NS" => new AttributeValue { NS = Array(v, path, "NS").Select(e => Number(e, path)).ToList() },
            "BS" => new AttributeValue { BS = Array(v, path, "BS").Select(e => new MemoryStream(Binary(e, path))).ToList() },
            "L" => new AttributeValue { L = Array(v, path, "L").Select((e, i) => ReadValue(e, $"{path}[{i}]")).ToList() },
            "M" => new AttributeValue { M = ReadItem(v, path) },
            _ => throw new FormatException($"{Where(path)}unknown or malformed type '{property.Name}'"),
        };
    }

    private static string String(JsonElement v, string path, string type) =>
        v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new FormatException($"{Where(path)}{type} needs a string");

    private static string Number(JsonElement v, string path)
    {
        var text = v.ValueKind switch
        {
            JsonValueKind.String => v.GetString()!,
            JsonValueKind.Number => v.GetRawText(),
            _ => throw new FormatException($"{Where(path)}N needs a number in a string"),
        };
        if (!decimal.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)
            && !double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            throw new FormatException($"{Where(path)}'{text}' is not a number");
        }

        return text;
    }

    private static byte[] Binary(JsonElement v, string path)
    {
        if (v.ValueKind == JsonValueKind.String && v.TryGetBytesFromBase64(out var bytes))
        {
            return bytes;
        }

        throw new FormatException($"{Where(path)}B needs base64 text");
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement v, string path, string type) =>
        v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : throw new FormatException($"{Where(path)}{type} needs an array");

    private static int CountProperties(JsonElement element)
    {
        var count = 0;
        foreach (var _ in element.EnumerateObject())
        {
            count++;
        }

        return count;
    }

    private static string Where(string path) => path.Length == 0 ? "" : $"attribute '{path}': ";
}
