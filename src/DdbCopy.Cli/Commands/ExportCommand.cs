using System.CommandLine;
using DdbCopy.Core.Jobs.Exporting;

namespace DdbCopy.Cli.Commands;

/// <summary>`ddbcopy export`: a table to a folder or S3 prefix, in the layout of DynamoDB's native export.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var command = new Command("export",
            "Exports a table to a folder or s3://bucket/prefix in the layout of DynamoDB's export to S3 (manifests, DynamoDB JSON data files), plus its table definition, throttled like a copy.");
        Option[] options =
        [
            CopyOptions.SourceEndpoint, CopyOptions.SourceTable, CopyOptions.SourceRegion, CopyOptions.SourceProfile,
            CopyOptions.SourceRoleArn, CopyOptions.SourceExternalId,
            FileOptions.To, FileOptions.Compression, FileOptions.MaxFileSizeMb,
            FileOptions.S3Endpoint, FileOptions.S3Region, FileOptions.S3Profile, FileOptions.S3PartSizeMb,
            CopyOptions.ReadThroughputRatio, CopyOptions.ReadCapacityUnits, CopyOptions.Rate, CopyOptions.Segments, CopyOptions.ConsistentScan,
            CopyOptions.MaxRetries, CopyOptions.Resume, CopyOptions.CheckpointFile, CopyOptions.TotalSections, CopyOptions.Section, CopyOptions.RequestTimeoutSeconds, CopyOptions.DrainTimeoutSeconds, CopyOptions.ProgressIntervalSeconds, CopyOptions.Output, CopyOptions.LogFormat, CopyOptions.MetricsListen, CopyOptions.Verbose, CopyOptions.Quiet,
            .. ShapeOptions.All, ImportOptions.RejectFile,
        ];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(FileValidation.Export);
        command.Validators.Add(ShapeBinder.Validate);
        command.SetAction((parse, _) =>
        {
            var settings = FileSettingsBinder.Export(parse);
            return CommandRunner.RunAsync(OutputSettings.From(parse), settings.SourceTable, settings.To.ToString(), settings.Source,
                (loggers, observer, stop) => new ExportRunner(loggers, TimeProvider.System).RunAsync(settings, observer, stop));
        });
        return command;
    }
}
