using System.Text.Json;
using DdbCopy.Cli.Hosting;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Cli.Output;

/// <summary>
/// How a run that ends without a summary of its own (a usage error, a failed check, an internal error) reports:
/// one line on stderr, and with <c>--output json</c> also a JSON summary (nothing read or written, the error and the
/// exit code) on stdout, so a script always gets one JSON document.
/// </summary>
internal static class FailureReport
{
    public static Task<int> WriteAsync(string format, string message, int exitCode, string? source = null, string? destination = null, string command = "copy") =>
        WriteAsync(format, [message], exitCode, source, destination, command);

    /// <param name="messages">One line each on stderr; joined into the JSON summary's error.</param>
    /// <param name="command">The command that failed: its JSON summary has that command's shape (verify's has its own fields).</param>
    public static async Task<int> WriteAsync(string format, IReadOnlyList<string> messages, int exitCode, string? source = null, string? destination = null,
        string command = "copy")
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var line in messages)
        {
            await StandardError.WriteAsync(LogLevel.Error, StandardError.Events.Failure, $"ddbcopy: {line}",
                [new("ExitCode", exitCode)]);
        }

        var message = string.Join(" ", messages);
        if (format == "json" && command == "verify")
        {
            await Console.Out.WriteLineAsync(VerifyOutput.FailureJson(source, destination, message, exitCode));
        }
        else if (format == "json")
        {
            var json = new SummaryJson(source, destination, 0, 0, 0, 0, null, 0, null, 0, 0, 0, 0, 0, 0,
                Complete: false, Interrupted: exitCode == ExitCodes.Interrupted, Error: message, ExitCode: exitCode);
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(json, SummaryJsonContext.Default.SummaryJson));
        }

        return exitCode;
    }
}
