using System.CommandLine;
using System.CommandLine.Parsing;
using DdbCopy.Cli.Output;
using DdbCopy.Core.Jobs.Verifying;
using static DdbCopy.Cli.Commands.CopyValidation;

namespace DdbCopy.Cli.Commands;

/// <summary>`ddbcopy verify`: is the destination equal to the source (a table or an export)? With --repair, make it so.</summary>
internal static class VerifyCommand
{
    public static readonly Option<string?> From = new("--from")
    {
        Description = "Compare with an export (a folder or s3://bucket/prefix with its manifest) instead of --sourceTable.",
    };

    public static readonly Option<string?> DiffFile = new("--diffFile", "--diff-file")
    {
        Description = "Where the keys that differ go (DynamoDB JSON lines: {\"Key\":{...},\"Difference\":\"missing|different|extra\"}, owner-only). Default: ddbcopy-verify-<source>-vs-<destination>-<UTC time>.jsonl in the working directory, created only when something differs.",
    };

    public static readonly Option<bool> Repair = new("--repair")
    {
        Description = "Write the missing and differing items from the source into the destination (throttled like a copy), then verify again.",
    };

    public static readonly Option<bool> DeleteExtra = new("--deleteExtra", "--delete-extra")
    {
        Description = "With --repair: also delete the destination's items that the source does not have.",
    };

    public static Command Create()
    {
        var command = new Command("verify",
            "Compares a destination table with its source table (or an export): items missing, different (every attribute, numbers by value, sets in any order) and extra. Exit 0 only when equal.");
        Option[] options =
        [
            CopyOptions.SourceEndpoint, CopyOptions.SourceTable, CopyOptions.SourceRegion, CopyOptions.SourceProfile,
            CopyOptions.SourceRoleArn, CopyOptions.SourceExternalId, From,
            CopyOptions.DestinationEndpoint, CopyOptions.DestinationTable, CopyOptions.DestinationRegion, CopyOptions.DestinationProfile,
            CopyOptions.DestinationRoleArn, CopyOptions.DestinationExternalId,
            FileOptions.S3Endpoint, FileOptions.S3Region, FileOptions.S3Profile,
            CopyOptions.ReadThroughputRatio, CopyOptions.ReadCapacityUnits, CopyOptions.Segments, CopyOptions.ConsistentScan,
            DiffFile, Repair, DeleteExtra, .. WriteSettingsBinder.Options, CopyOptions.MaxRetries, CopyOptions.RequestTimeoutSeconds, CopyOptions.DrainTimeoutSeconds,
            CopyOptions.ProgressIntervalSeconds, CopyOptions.Output, CopyOptions.LogFormat, CopyOptions.MetricsListen, CopyOptions.Verbose, CopyOptions.Quiet,
        ];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(Validate);
        command.SetAction((parse, _) => RunAsync(OutputSettings.From(parse), Bind(parse)));
        return command;
    }

    private static void Validate(CommandResult result)
    {
        var table = TryGet(result, CopyOptions.SourceTable, out var name) && !string.IsNullOrWhiteSpace(name);
        var export = TryGet(result, From, out var from) && !string.IsNullOrWhiteSpace(from);
        if (table == export)
        {
            result.AddError("Name what to compare with: --sourceTable (a table) or --from (an export), one of them.");
        }

        Required(result, CopyOptions.DestinationTable);
        Ratio(result, CopyOptions.ReadThroughputRatio);
        PositiveUnits(result, CopyOptions.ReadCapacityUnits);
        AtLeastOne(result, CopyOptions.Segments);
        Endpoint(result, CopyOptions.SourceEndpoint);
        Writing(result);
        if (export && StorageLocation(from!) is { } error)
        {
            result.AddError($"--from: {error}.");
        }

        if (TryGet(result, DeleteExtra, out var delete) && delete && !(TryGet(result, Repair, out var repair) && repair))
        {
            result.AddError("--deleteExtra deletes as part of a repair: add --repair.");
        }

        FileValidation.S3(result);
    }

    private static string? StorageLocation(string value)
    {
        Core.Storage.StorageLocation.TryParse(value, out var error);
        return error;
    }

    private static VerifySettings Bind(ParseResult parse)
    {
        var source = CopySettingsBinder.Side(parse, CopyOptions.SourceEndpoint, CopyOptions.SourceRegion, CopyOptions.SourceProfile,
            CopyOptions.SourceRoleArn, CopyOptions.SourceExternalId);
        var destination = CopySettingsBinder.Side(parse, CopyOptions.DestinationEndpoint, CopyOptions.DestinationRegion, CopyOptions.DestinationProfile,
            CopyOptions.DestinationRoleArn, CopyOptions.DestinationExternalId);
        var from = parse.GetValue(From);
        return new VerifySettings
        {
            Source = source,
            SourceTable = Text(parse.GetValue(CopyOptions.SourceTable)),
            From = string.IsNullOrWhiteSpace(from) ? null : Core.Storage.StorageLocation.TryParse(from, out _),
            S3 = FileSettingsBinder.S3(parse, destination),
            Destination = destination,
            DestinationTable = parse.GetValue(CopyOptions.DestinationTable)!,
            ReadRatio = parse.GetValue(CopyOptions.ReadThroughputRatio),
            ReadUnitsPerSecond = parse.GetValue(CopyOptions.ReadCapacityUnits),
            Segments = parse.GetValue(CopyOptions.Segments),
            ConsistentScan = parse.GetValue(CopyOptions.ConsistentScan),
            MaxRetries = parse.GetValue(CopyOptions.MaxRetries),
            RequestTimeout = CopySettingsBinder.RequestTimeout(parse),
            DiffFile = Text(parse.GetValue(DiffFile)),
            Repair = parse.GetValue(Repair),
            DeleteExtra = parse.GetValue(DeleteExtra),
            Write = WriteSettingsBinder.Bind(parse, Text(parse.GetValue(CopyOptions.DeadLetterFile))),
        };
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Task<int> RunAsync(OutputSettings output, VerifySettings settings)
    {
        var source = settings.SourceTable ?? settings.From!.ToString();
        return CommandRunner.RunAsync(output, source, settings.DestinationTable,
            (loggers, observer, stop) => new VerifyRunner(loggers, TimeProvider.System).RunAsync(settings, observer, stop),
            ExitCode,
            (summary, exitCode) => VerifyOutput.Write(Console.Out, output.Format, source, settings.DestinationTable, summary, exitCode),
            "stopped before the comparison was done.", command: "verify");
    }

    /// <summary>0 equal, 5 different, 4 a failure (a read, a repair), 130 stopped.</summary>
    private static int ExitCode(VerifySummary summary) =>
        summary.Equal ? ExitCodes.Success
        : summary.Interrupted ? ExitCodes.Interrupted
        : (summary.AfterRepair ?? summary).Error is not null || summary.Error is not null || summary.RepairFailed > 0 ? ExitCodes.Incomplete
        : ExitCodes.Differences;
}
