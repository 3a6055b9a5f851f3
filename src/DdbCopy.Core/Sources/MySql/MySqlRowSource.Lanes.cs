using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Engine;

namespace DdbCopy.Core.Sources.MySql;

/// <summary>What a range being read keeps (its pending items and position, the --groupBy group it is building), and how a row is shown.</summary>
public sealed partial class MySqlRowSource
{
    private static string KeyText(Dictionary<string, AttributeValue> key) =>
        key.TryGetValue(Lane.RowCount, out var row) ? $"row {row.N} of the result"
            : string.Join(", ", key.Select(k => $"{k.Key}={Items.RecordText.Detail(k.Value.N ?? k.Value.S ?? (k.Value.B is { } b ? Convert.ToBase64String(b.ToArray()) : "NULL"))}"));

    private static string RowJson(IReadOnlyDictionary<string, string?> texts)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, text) in texts)
            {
                writer.WriteString(name, text);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>One range being read: what is pending, and where it stands.</summary>
    private sealed class Lane(int range)
    {
        /// <summary>The position of a range read without a key: how many of its rows are settled.</summary>
        public const string RowCount = "#rows";

        public int Range { get; } = range;

        public long Row { get; set; }

        public List<Dictionary<string, AttributeValue>> Items { get; } = new(RowsPerTicket);

        public List<ItemOrigin> Origins { get; } = new(RowsPerTicket);

        public int Rejected { get; set; }

        /// <summary>Rows left out since the last ticket (soft-deleted).</summary>
        public int Filtered { get; set; }

        /// <summary>The key of the last row whose item (or group) is pending or queued: where the lane stands once they settle.</summary>
        public Dictionary<string, AttributeValue>? Settled { get; private set; }

        public OpenGroup? Group { get; set; }

        public void Advance(Dictionary<string, AttributeValue> key) => Settled = key;
    }

    /// <summary>The rows of one --groupBy group so far.</summary>
    private sealed class OpenGroup(string key, Dictionary<string, AttributeValue> item, Dictionary<string, AttributeValue> firstKey,
        Dictionary<string, AttributeValue> lastKey, IReadOnlyDictionary<string, string?> firstTexts)
    {
        public string Key { get; } = key;

        public Dictionary<string, AttributeValue> Item { get; } = item;

        public Dictionary<string, AttributeValue> FirstKey { get; } = firstKey;

        public Dictionary<string, AttributeValue> LastKey { get; set; } = lastKey;

        public IReadOnlyDictionary<string, string?> FirstTexts { get; } = firstTexts;
    }
}
