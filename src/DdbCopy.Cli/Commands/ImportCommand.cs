using System.CommandLine;
using DdbCopy.Core.Jobs.Importing;

namespace DdbCopy.Cli.Commands;

/// <summary>`ddbcopy import`: files (an export, DynamoDB JSON lines such as a dead-letter file, CSV) into a table.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var command = new Command("import",
            "Writes an export (a folder or s3:// prefix), a file of DynamoDB JSON lines (such as a dead-letter file) or CSV into a table, throttled and retried like a copy.");
        foreach (var option in ImportOptions.All.Concat(MySqlOptions.All).Concat(ShapeOptions.All))
        {
            command.Options.Add(option);
        }

        command.Validators.Add(FileValidation.Import);
        command.Validators.Add(ShapeBinder.Validate);
        command.Validators.Add(MySqlBinder.Validate);
        command.SetAction((parse, _) =>
        {
            var settings = FileSettingsBinder.Import(parse);
            return CommandRunner.RunAsync(OutputSettings.From(parse), settings.From.ToString(), settings.DestinationTable, settings.Destination,
                (loggers, observer, stop) => new ImportRunner(loggers, TimeProvider.System).RunAsync(settings, observer, stop));
        });
        return command;
    }
}
