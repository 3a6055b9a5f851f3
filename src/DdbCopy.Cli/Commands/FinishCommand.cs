using System.CommandLine;
using DdbCopy.Core.Jobs.Copying;
using DdbCopy.Core.Jobs.Exporting;
using DdbCopy.Core.Storage;
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
            FileOptions.Export, FileOptions.S3Endpoint, FileOptions.S3Region, FileOptions.S3Profile,
        ];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            if (TryGet(result, FileOptions.Export, out var export) && export is not null)
            {
                if (StorageLocation.TryParse(export, out var problem) is null)
                {
                    result.AddError($"--export: {problem}.");
                }

                CopyValidation.Endpoint(result, FileOptions.S3Endpoint);
                return;
            }

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
            if (parse.GetValue(FileOptions.Export) is { } export)
            {
                var location = StorageLocation.TryParse(export, out var error) ?? throw new InvalidOperationException(error);
                var s3 = FileSettingsBinder.S3(parse, CopySettingsBinder.Side(parse, CopyOptions.SourceEndpoint, CopyOptions.SourceRegion, CopyOptions.SourceProfile));
                return CommandRunner.ReportAsync(OutputSettings.From(parse), async (loggers, ct) =>
                {
                    using var store = FileStores.Open(location, s3);
                    return await ExportSections.FinishAsync(store, location as S3Location, loggers.CreateLogger("ddbcopy"), ct);
                });
            }

            var settings = CopySettingsBinder.Bind(parse) with { SourceTable = parse.GetValue(CopyOptions.SourceTable) ?? "" };
            return CommandRunner.ReportAsync(OutputSettings.From(parse), (loggers, ct) => new PostCopySteps(loggers, TimeProvider.System).RunAsync(settings, ct));
        });
        return command;
    }
}
