using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace DdbCopy.Cli.Hosting;

/// <summary>
/// Console logging on stderr (stdout carries only results): single text lines, or with <c>--logFormat json</c> one
/// JSON object per line from the framework's JSON console formatter (timestamp, event id, level, category, message and
/// the structured fields). Everything else this process writes on stderr (a failure, a progress line) goes through
/// <see cref="StandardError"/> in the same format.
/// </summary>
internal static class Logging
{
    /// <summary>The log format of this process, from <c>--logFormat</c>: set once at start, before anything is logged.</summary>
    public static bool Json { get; set; }

    /// <summary>
    /// JSON lines escape only what JSON requires (a quote in a message stays readable); a log line is never embedded
    /// in HTML, which is what the default encoder guards against.
    /// </summary>
    public static readonly JavaScriptEncoder JsonEncoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>The timestamp format of JSON lines (UTC, ISO 8601, milliseconds), the same for every line.</summary>
    public const string JsonTimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static ILoggerFactory Create(LogLevel minimum) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(minimum);
        builder.AddFilter("Amazon", LogLevel.Warning);
        builder.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        if (Json)
        {
            builder.AddJsonConsole(options =>
            {
                options.TimestampFormat = JsonTimestampFormat;
                options.UseUtcTimestamp = true;
                options.JsonWriterOptions = new JsonWriterOptions { Indented = false, Encoder = JsonEncoder };
            });
        }
        else
        {
            builder.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss ";
                options.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
    });
}
