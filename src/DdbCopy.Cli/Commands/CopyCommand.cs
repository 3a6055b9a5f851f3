using System.CommandLine;
using DdbCopy.Core.Copying;

namespace DdbCopy.Cli.Commands;

/// <summary>The root command: copy one DynamoDB table into another (a drop-in for dynamodb-import-export-tool).</summary>
internal static class CopyCommand
{
    public static RootCommand Create()
    {
        var command = new RootCommand(
            "Copies one DynamoDB table into another within a capacity budget, retrying throttled writes and reporting every item it could not write.");
        foreach (var option in CopyOptions.All)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(CopyValidation.Command);
        command.Subcommands.Add(ImportCommand.Create());
        command.Subcommands.Add(SchemaCommand.Create());
        command.SetAction((parse, _) => RunAsync(parse));
        return command;
    }

    private static Task<int> RunAsync(ParseResult parse)
    {
        var settings = CopySettingsBinder.Bind(parse);
        return CommandRunner.RunAsync(OutputSettings.From(parse), settings.SourceTable, settings.DestinationTable, settings.Destination,
            (loggers, observer, stop) => new CopyRunner(loggers, TimeProvider.System).RunAsync(settings, observer, stop));
    }
}
