using System.CommandLine;
using DdbCopy.Core.Importing;

namespace DdbCopy.Cli.Commands;

/// <summary>`ddbcopy import`: writes a file of DynamoDB JSON lines (for example a dead-letter file) into a table.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var command = new Command("import",
            "Writes a file of DynamoDB JSON lines (such as a dead-letter file) into a table, throttled and retried like a copy.");
        foreach (var option in ImportOptions.All)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(CopyValidation.Import);
        command.SetAction((parse, _) => RunAsync(parse));
        return command;
    }

    private static Task<int> RunAsync(ParseResult parse)
    {
        var settings = new ImportSettings
        {
            From = parse.GetValue(ImportOptions.From)!,
            Destination = CopySettingsBinder.Side(parse, CopyOptions.DestinationEndpoint, CopyOptions.DestinationRegion, CopyOptions.DestinationProfile,
                CopyOptions.DestinationRoleArn, CopyOptions.DestinationExternalId),
            DestinationTable = parse.GetValue(CopyOptions.DestinationTable)!,
            WriteRatio = parse.GetValue(CopyOptions.WriteThroughputRatio),
            WriteUnitsPerSecond = parse.GetValue(CopyOptions.WriteCapacityUnits),
            MaxWriteThreads = parse.GetValue(CopyOptions.MaxWriteThreads),
            MaxRetries = parse.GetValue(CopyOptions.MaxRetries),
            DeadLetterFile = parse.GetValue(CopyOptions.DeadLetterFile) is { Length: > 0 } path ? path : null,
        };
        return CommandRunner.RunAsync(OutputSettings.From(parse), settings.From, settings.DestinationTable, settings.Destination,
            (loggers, observer, stop) => new ImportRunner(loggers, TimeProvider.System).RunAsync(settings, observer, stop));
    }
}
