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
}
