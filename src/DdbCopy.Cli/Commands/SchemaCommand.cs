using System.CommandLine;
using DdbCopy.Cli.Hosting;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Schema;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Cli.Commands;

/// <summary>`ddbcopy schema export` and `ddbcopy schema diff`: read table definitions without changing anything.</summary>
internal static class SchemaCommand
{
    private static readonly Option<string> Table = new("--table")
    {
        Description = "The table whose definition to print (required).",
    };

    private static readonly Option<string?> Endpoint = new("--endpoint")
    {
        Description = "Endpoint, in the same forms as --sourceEndpoint.",
    };

    private static readonly Option<string?> Region = new("--region") { Description = "Region of the table." };

    private static readonly Option<string?> Profile = new("--profile") { Description = "Named AWS profile." };

    public static Command Create()
    {
        var export = new Command("export", "Prints a table's definition as JSON (for --createDestination --schemaFile).")
        {
            Table, Endpoint, Region, Profile,
        };
        export.Validators.Add(result =>
        {
            if (result.GetResult(Table) is null)
            {
                result.AddError("Option '--table' is required.");
            }
        });
        export.SetAction((parse, ct) => RunAsync(async logger =>
        {
            var side = CopySettingsBinder.Side(parse, Endpoint, Region, Profile);
            var definition = await SchemaOperations.ExportAsync(side, parse.GetValue(Table)!, logger, ct);
            await Console.Out.WriteLineAsync(TableDefinitionJson.Serialize(definition));
            return ExitCodes.Success;
        }));

        var diff = new Command("diff", "Prints how the destination's definition differs from the source's (exit 0: same, 5: different).");
        foreach (var option in new Option[]
                 {
                     CopyOptions.SourceEndpoint, CopyOptions.SourceTable, CopyOptions.SourceRegion, CopyOptions.SourceProfile,
                     CopyOptions.DestinationEndpoint, CopyOptions.DestinationTable, CopyOptions.DestinationRegion, CopyOptions.DestinationProfile,
                 })
        {
            diff.Options.Add(option);
        }

        diff.Validators.Add(CopyValidation.Diff);
        diff.SetAction((parse, ct) => RunAsync(async logger =>
        {
            var differences = await SchemaOperations.DiffAsync(
                CopySettingsBinder.Side(parse, CopyOptions.SourceEndpoint, CopyOptions.SourceRegion, CopyOptions.SourceProfile),
                parse.GetValue(CopyOptions.SourceTable)!,
                CopySettingsBinder.Side(parse, CopyOptions.DestinationEndpoint, CopyOptions.DestinationRegion, CopyOptions.DestinationProfile),
                parse.GetValue(CopyOptions.DestinationTable)!,
                logger,
                ct);
            if (differences.Count == 0)
            {
                await Console.Out.WriteLineAsync("The definitions match.");
                return ExitCodes.Success;
            }

            foreach (var line in differences)
            {
                await Console.Out.WriteLineAsync(line);
            }

            return ExitCodes.Differences;
        }));

        return new Command("schema", "Reads table definitions: export one as JSON, or diff two.") { export, diff };
    }

    private static async Task<int> RunAsync(Func<ILogger, Task<int>> action)
    {
        using var loggers = Logging.Create(LogLevel.Warning);
        try
        {
            return await action(loggers.CreateLogger("ddbcopy"));
        }
        catch (DdbCopyException ex)
        {
            loggers.Dispose();
            await StandardError.WriteAsync(LogLevel.Error, StandardError.Events.Failure, $"ddbcopy: {ex.Message}");
            return ExitCodes.For(ex.Kind);
        }
    }
}
