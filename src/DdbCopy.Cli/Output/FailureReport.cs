using System.Text.Json;

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
            await Console.Error.WriteLineAsync($"ddbcopy: {line}");
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

    /// <summary>
    /// The --output format named on a command line that may not parse: the last <c>--output</c>/<c>-o</c> value in any
    /// of System.CommandLine's spellings (<c>-o json</c>, <c>--output=json</c>, <c>--output:json</c>).
    /// </summary>
    public static string FormatIn(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var format = "text";
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--output" or "-o")
            {
                if (i + 1 < args.Count)
                {
                    format = args[++i];
                }
            }
            else if (arg.StartsWith("--output=", StringComparison.Ordinal) || arg.StartsWith("--output:", StringComparison.Ordinal))
            {
                format = arg["--output=".Length..];
            }
            else if (arg.StartsWith("-o=", StringComparison.Ordinal) || arg.StartsWith("-o:", StringComparison.Ordinal))
            {
                format = arg[3..];
            }
        }

        return format.Trim().ToLowerInvariant() == "json" ? "json" : "text";
    }
}
