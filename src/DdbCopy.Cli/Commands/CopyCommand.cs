using System.CommandLine;
using DdbCopy.Cli.Output;
using DdbCopy.Core.Jobs.Copying;

namespace DdbCopy.Cli.Commands;

/// <summary>The root command: copy one DynamoDB table into another (a drop-in for dynamodb-import-export-tool).</summary>
internal static class CopyCommand
{
    public static RootCommand Create()
    {
        var command = new RootCommand(
            "Copies one DynamoDB table into another within a capacity budget, retrying throttled writes and reporting every item it could not write.");
        foreach (var option in CopyOptions.All.Concat(ShapeOptions.All).Append(ImportOptions.RejectFile).Append(ShapeOptions.Preview).Concat(FileOptions.S3))
        {
            command.Options.Add(option);
        }

        command.Validators.Add(CopyValidation.Command);
        command.Validators.Add(ShapeBinder.Validate);
        command.Subcommands.Add(ExportCommand.Create());
        command.Subcommands.Add(ImportCommand.Create());
        command.Subcommands.Add(SchemaCommand.Create());
        command.Subcommands.Add(VerifyCommand.Create());
        command.Subcommands.Add(GenerateCommand.Create());
        command.Subcommands.Add(FinishCommand.Create());
        command.Subcommands.Add(JobsCommand.Create());
        command.Subcommands.Add(CompletionCommand.Create(command));
        command.Subcommands.Add(CompletionCommand.CreateTables());
        command.Subcommands.Add(FlagReference.Create(command));
        command.SetAction((parse, _) => RunAsync(parse));
        GroupedHelp.Apply(command);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse)
    {
        var settings = CopySettingsBinder.Bind(parse);
        if (parse.GetValue(CopyOptions.DryRun))
        {
            var output = OutputSettings.From(parse);
            return await CommandRunner.ReportAsync(output, async (loggers, ct) =>
            {
                var report = await new DryRun(loggers).PlanAsync(settings, ct);
                return output.Format == "json" ? [DryRunJson.Write(report)] : report.Lines;
            });
        }

        if (settings.RecreateDestination && !parse.GetValue(CopyOptions.Yes) && await ConfirmRecreateAsync(settings) is { } refusal)
        {
            return await FailureReport.WriteAsync(OutputSettings.From(parse).Format, refusal, ExitCodes.Usage, settings.SourceTable, settings.DestinationTable);
        }

        var reporting = OutputSettings.From(parse) with
        {
            Section = settings.TotalSections > 1 ? Core.Engine.Checkpoints.CheckpointFile.SectionName(settings.Section, settings.TotalSections) : null,
        };
        return await CommandRunner.RunAsync(reporting, settings.SourceTable, settings.DestinationTable, settings.Destination,
            (loggers, observer, stop) => new CopyRunner(loggers, TimeProvider.System).RunAsync(settings, observer, stop));
    }

    /// <summary>--recreateDestination deletes a table: the user types its name, or passes --yes.</summary>
    /// <returns>Null when confirmed, else why not.</returns>
    private static async Task<string?> ConfirmRecreateAsync(CopySettings settings)
    {
        if (Console.IsInputRedirected)
        {
            return $"--recreateDestination deletes the table '{settings.DestinationTable}' and all its items: add --yes to confirm (there is no terminal to ask on). Nothing was changed.";
        }

        await Console.Error.WriteAsync(
            $"--recreateDestination deletes the table '{settings.DestinationTable}' at {settings.Destination} and all its items. Type its name to go on: ");
        var answer = await Console.In.ReadLineAsync();
        return answer?.Trim() == settings.DestinationTable ? null : "not confirmed; nothing was changed.";
    }
}
