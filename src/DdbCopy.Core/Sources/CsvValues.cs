using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Sources;

/// <summary>Turns CSV cells (and database values given a --column type) into typed attribute values: S (the default), N, BOOL, B (base64), or JSON (nested M/L).</summary>
public static class CsvValues
{
    public static readonly IReadOnlyList<string> Types = ["S", "N", "BOOL", "B", "JSON"];

    /// <returns>null and an error when the text is not of the type.</returns>
    public static AttributeValue? Convert(string text, string type, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = null;
        switch (type)
        {
            case "N":
                if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    return new AttributeValue { N = text.Trim() };
                }

                error = $"{Items.RecordText.Value(text)} is not a number";
                return null;
            case "JSON":
                try
                {
                    return Formats.JsonAttributeValues.Parse(text);
                }
                catch (FormatException ex)
                {
                    error = $"{Items.RecordText.Value(text.Length > 40 ? text[..40] + "..." : text)} is {Items.RecordText.Detail(ex.Message)}";
                    return null;
                }
            case "BOOL":
                if (bool.TryParse(text, out var flag))
                {
                    return new AttributeValue { BOOL = flag };
                }

                error = $"{Items.RecordText.Value(text)} is not true or false";
                return null;
            case "B":
                try
                {
                    return new AttributeValue { B = new MemoryStream(System.Convert.FromBase64String(text)) };
                }
                catch (FormatException)
                {
                    error = $"{Items.RecordText.Value(text)} is not base64";
                    return null;
                }

            default:
                return new AttributeValue { S = text };
        }
    }
}
