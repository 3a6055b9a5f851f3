using System.CommandLine;

namespace DdbCopy.Cli.Commands;

/// <summary>How a command reports (summary format, log level) and how long a graceful stop may drain.</summary>
internal sealed record OutputSettings(string Format, bool Verbose, bool Quiet, TimeSpan DrainTimeout, TimeSpan? ProgressInterval = null)
{
    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(30);

    public static OutputSettings From(ParseResult parse) => new(
        parse.GetValue(CopyOptions.Output) ?? "text",
        parse.GetValue(CopyOptions.Verbose),
        parse.GetValue(CopyOptions.Quiet),
        TimeSpan.FromSeconds(parse.GetValue(CopyOptions.DrainTimeoutSeconds)),
        parse.GetValue(CopyOptions.ProgressIntervalSeconds) is { } seconds ? TimeSpan.FromSeconds(seconds) : null);

    /// <summary>
    /// The --output format named on a command line that may not parse: the last <c>--output</c>/<c>-o</c> value in any
    /// of System.CommandLine's spellings (<c>-o json</c>, <c>--output=json</c>, <c>--output:json</c>).
    /// </summary>
    public static string FormatIn(IReadOnlyList<string> args) => ValueIn(args, CopyOptions.Output);

    /// <summary>The --logFormat named on a command line that may not parse, in the same way.</summary>
    public static string LogFormatIn(IReadOnlyList<string> args) => ValueIn(args, CopyOptions.LogFormat);

    /// <summary>"json" when the last value of <paramref name="option"/> (any spelling) is json, else "text".</summary>
    private static string ValueIn(IReadOnlyList<string> args, System.CommandLine.Option option)
    {
        ArgumentNullException.ThrowIfNull(args);
        var names = option.Aliases.Append(option.Name).ToList();
        var format = "text";
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (names.Contains(arg))
            {
                if (i + 1 < args.Count)
                {
                    format = args[++i];
                }
            }
            else if (names.FirstOrDefault(n => arg.StartsWith(n + "=", StringComparison.Ordinal) || arg.StartsWith(n + ":", StringComparison.Ordinal)) is { } name)
            {
                format = arg[(name.Length + 1)..];
            }
        }

        return format.Trim().ToLowerInvariant() == "json" ? "json" : "text";
    }
}
