using System.CommandLine;
using DdbCopy.Core.Jobs.Copying;
using static DdbCopy.Cli.Commands.CopyValidation;

namespace DdbCopy.Cli.Commands;

/// <summary>
/// `ddbcopy finish`: the post-copy steps of a copy into a table it created (stream, TTL, point-in-time recovery),
/// run once after every section of a sectioned copy ended.
/// </summary>
internal static class FinishCommand
{
    public static Command Create()
    {
        var command = new Command("finish",
            "After every section of a copy with --createDestination ended: enables the destination's stream, TTL and point-in-time recovery as the source (or --schemaFile) has them. Changes only what is missing.");
        Option[] options =
        [
            CopyOptions.SourceEndpoint, CopyOptions.SourceTable, CopyOptions.SourceRegion, CopyOptions.SourceProfile,
            CopyOptions.SourceRoleArn, CopyOptions.SourceExternalId,
            CopyOptions.DestinationEndpoint, CopyOptions.DestinationTable, CopyOptions.DestinationRegion, CopyOptions.DestinationProfile,
            CopyOptions.DestinationRoleArn, CopyOptions.DestinationExternalId, CopyOptions.SchemaFile,
            CopyOptions.RequestTimeoutSeconds, CopyOptions.Output, CopyOptions.LogFormat, CopyOptions.Verbose,
        ];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            var source = TryGet(result, CopyOptions.SourceTable, out var name) && !string.IsNullOrWhiteSpace(name);
            var schema = TryGet(result, CopyOptions.SchemaFile, out var file) && !string.IsNullOrWhiteSpace(file);
            if (!source && !schema)
            {
                result.AddError("Name what the destination should be like: --sourceTable, or --schemaFile.");
            }

            Required(result, CopyOptions.DestinationTable);
            CopyValidation.Endpoint(result, CopyOptions.SourceEndpoint);
            CopyValidation.Endpoint(result, CopyOptions.DestinationEndpoint);
            CopyValidation.Output(result);
        });
        command.SetAction((parse, _) =>
        {
            var settings = CopySettingsBinder.Bind(parse) with { SourceTable = parse.GetValue(CopyOptions.SourceTable) ?? "" };
            return CommandRunner.ReportAsync(OutputSettings.From(parse), (loggers, ct) => new PostCopySteps(loggers, TimeProvider.System).RunAsync(settings, ct));
        });
        return command;
    }
}
