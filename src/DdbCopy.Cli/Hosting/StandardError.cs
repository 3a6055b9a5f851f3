using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Cli.Hosting;

/// <summary>
/// The lines this process writes on stderr outside the logger (a failure, a usage hint, a progress line): plain text,
/// or under <c>--logFormat json</c> a JSON object in the shape of the framework's JSON console formatter
/// (Timestamp, EventId, LogLevel, Category, Message, State), so a log pipeline parses every line the same way.
/// </summary>
internal static class StandardError
{
    /// <summary>Event ids of the lines written here (the engine's own events have theirs).</summary>
    public static class Events
    {
        public static readonly EventId Failure = new(9001, "Failure");
        public static readonly EventId Usage = new(9002, "Usage");
        public static readonly EventId Progress = new(9003, "Progress");
    }

    /// <summary>Writes <paramref name="text"/> as it is, or as a JSON line with <paramref name="fields"/>.</summary>
    public static void Write(TextWriter error, LogLevel level, EventId eventId, string text, IEnumerable<KeyValuePair<string, object?>>? fields = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        error.WriteLine(Line(level, eventId, text, fields));
    }

    public static Task WriteAsync(LogLevel level, EventId eventId, string text, IEnumerable<KeyValuePair<string, object?>>? fields = null) =>
        Console.Error.WriteLineAsync(Line(level, eventId, text, fields));

    private static string Line(LogLevel level, EventId eventId, string text, IEnumerable<KeyValuePair<string, object?>>? fields) =>
        Logging.Json ? JsonLine(level, eventId, text, fields ?? [], DateTimeOffset.UtcNow) : text;

    public static string JsonLine(LogLevel level, EventId eventId, string message, IEnumerable<KeyValuePair<string, object?>> fields, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(fields);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Logging.JsonEncoder }))
        {
            json.WriteStartObject();
            json.WriteString("Timestamp", now.UtcDateTime.ToString(Logging.JsonTimestampFormat, CultureInfo.InvariantCulture));
            json.WriteNumber("EventId", eventId.Id);
            json.WriteString("EventName", eventId.Name);
            json.WriteString("LogLevel", level.ToString());
            json.WriteString("Category", "ddbcopy");
            json.WriteString("Message", message);
            json.WriteStartObject("State");
            foreach (var (name, value) in fields)
            {
                switch (value)
                {
                    case null: json.WriteNull(name); break;
                    case bool flag: json.WriteBoolean(name, flag); break;
                    case int number: json.WriteNumber(name, number); break;
                    case long number: json.WriteNumber(name, number); break;
                    case double number when double.IsFinite(number): json.WriteNumber(name, Math.Round(number, 3)); break;
                    case double: json.WriteNull(name); break;
                    default: json.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture)); break;
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
