using System.CommandLine;

namespace DdbCopy.Cli.Commands;

/// <summary>How a command reports: summary format and log level.</summary>
internal sealed record OutputSettings(string Format, bool Verbose, bool Quiet)
{
    public static OutputSettings From(ParseResult parse) => new(
        parse.GetValue(CopyOptions.Output) ?? "text",
        parse.GetValue(CopyOptions.Verbose),
        parse.GetValue(CopyOptions.Quiet));
}
