using System.CommandLine;
using DdbCopy.Core.Capacity;

namespace DdbCopy.Cli.Commands;

/// <summary>The write options of every command that writes to a table (copy, import, verify --repair, generate), bound once.</summary>
internal static class WriteSettingsBinder
{
    /// <summary>The budget, the writers and the dead-letter file (the commands with --rate add it themselves).</summary>
    public static IEnumerable<Option> Options => [CopyOptions.WriteThroughputRatio, CopyOptions.WriteCapacityUnits, CopyOptions.MaxWriteThreads, CopyOptions.DeadLetterFile];

    /// <param name="deadLetterFile">The dead-letter path as the command reads --deadLetterFile (per section for a copy); null for the default.</param>
    public static WriteSettings Bind(ParseResult parse, string? deadLetterFile) => new()
    {
        Ratio = parse.GetValue(CopyOptions.WriteThroughputRatio),
        UnitsPerSecond = parse.GetValue(CopyOptions.WriteCapacityUnits),
        MaxWriteThreads = parse.GetValue(CopyOptions.MaxWriteThreads),
        Rate = parse.CommandResult.Command.Options.Contains(CopyOptions.Rate) ? CopySettingsBinder.Rate(parse) : RateMode.Auto,
        DeadLetterFile = deadLetterFile,
    };
}
