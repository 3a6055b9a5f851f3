using System.CommandLine;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Jobs.Exporting;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Jobs.Importing;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Sources.Files;
using DdbCopy.Core.Storage;

namespace DdbCopy.Cli.Commands;

/// <summary>Turns validated export and import command lines into the engine's settings.</summary>
internal static class FileSettingsBinder
{
    public static ExportSettings Export(ParseResult parse)
    {
        var source = CopySettingsBinder.Side(parse, CopyOptions.SourceEndpoint, CopyOptions.SourceRegion, CopyOptions.SourceProfile,
            CopyOptions.SourceRoleArn, CopyOptions.SourceExternalId);
        var (section, total) = (CopySettingsBinder.Section(parse).Section, parse.GetValue(CopyOptions.TotalSections));
        return new ExportSettings
        {
            TotalSections = total,
            Section = section,
            Source = source,
            SourceTable = parse.GetValue(CopyOptions.SourceTable)!,
            To = Location(parse, FileOptions.To),
            S3 = S3(parse, source),
            S3PartSizeBytes = (long)parse.GetValue(FileOptions.S3PartSizeMb) << 20,
            Compression = Enum.Parse<DataCompression>(parse.GetValue(FileOptions.Compression)!, ignoreCase: true),
            MaxFileBytes = (long)parse.GetValue(FileOptions.MaxFileSizeMb) << 20,
            ReadRatio = parse.GetValue(CopyOptions.ReadThroughputRatio),
            ReadUnitsPerSecond = parse.GetValue(CopyOptions.ReadCapacityUnits),
            Segments = parse.GetValue(CopyOptions.Segments),
            ConsistentScan = parse.GetValue(CopyOptions.ConsistentScan),
            MaxRetries = parse.GetValue(CopyOptions.MaxRetries),
            RequestTimeout = CopySettingsBinder.RequestTimeout(parse),
            Resume = parse.GetValue(CopyOptions.Resume),
            Rate = CopySettingsBinder.Rate(parse),
            CheckpointFile = PerSection(Text(parse.GetValue(CopyOptions.CheckpointFile)), section, total),
            Shape = ShapeBinder.Bind(parse),
            RejectFile = PerSection(Text(parse.GetValue(ImportOptions.RejectFile)), section, total),
        };
    }

    private static string? PerSection(string? path, int section, int total) => path is null ? null : CopySettingsBinder.PerSection(path, section, total);

    public static ImportSettings Import(ParseResult parse)
    {
        var destination = CopySettingsBinder.Side(parse, CopyOptions.DestinationEndpoint, CopyOptions.DestinationRegion, CopyOptions.DestinationProfile,
            CopyOptions.DestinationRoleArn, CopyOptions.DestinationExternalId);
        var from = ImportFrom.TryParse(parse.GetValue(ImportOptions.From)!, out var fromError) ?? throw new InvalidOperationException(fromError);
        var (section, total) = (CopySettingsBinder.Section(parse).Section, parse.GetValue(CopyOptions.TotalSections));
        return new ImportSettings
        {
            TotalSections = total,
            Section = section,
            From = from,
            MySql = MySqlBinder.Bind(parse, from),
            S3 = S3(parse, destination),
            Destination = destination,
            DestinationTable = parse.GetValue(CopyOptions.DestinationTable)!,
            Format = parse.GetValue(ImportOptions.Format)!.ToLowerInvariant() switch
            {
                "csv" => ImportFormat.Csv,
                "dynamodb-json" => ImportFormat.DynamoDbJson,
                _ => ImportFormat.Auto,
            },
            Csv = CsvMappingParser.Parse(parse.GetValue(ImportOptions.Column), parse.GetValue(ImportOptions.Attribute),
                parse.GetValue(ImportOptions.ExcludeColumns), parse.GetValue(ImportOptions.GroupBy), parse.GetValue(ImportOptions.Pivot),
                parse.GetValue(ImportOptions.Delimiter), []),
            FailFast = parse.GetValue(ImportOptions.FailFast),
            AllowIncompleteExport = parse.GetValue(ImportOptions.AllowIncompleteExport),
            Shape = ShapeBinder.Bind(parse),
            RejectFile = PerSection(Text(parse.GetValue(ImportOptions.RejectFile)), section, total),
            CreateDestination = parse.GetValue(ImportOptions.CreateDestination),
            SchemaFile = Text(parse.GetValue(ImportOptions.SchemaFile)),
            Overrides = new CreateOverrides(
                parse.GetValue(CopyOptions.DestinationBillingMode)?.ToUpperInvariant(),
                parse.GetValue(CopyOptions.DestinationReadCapacity),
                parse.GetValue(CopyOptions.DestinationWriteCapacity),
                Text(parse.GetValue(CopyOptions.DestinationKmsKeyId))),
            Write = WriteSettingsBinder.Bind(parse, PerSection(Text(parse.GetValue(CopyOptions.DeadLetterFile)), section, total)),
            MaxRetries = parse.GetValue(CopyOptions.MaxRetries),
            RequestTimeout = CopySettingsBinder.RequestTimeout(parse),
            Resume = parse.GetValue(CopyOptions.Resume),
            CheckpointFile = PerSection(Text(parse.GetValue(CopyOptions.CheckpointFile)), section, total),
        };
    }

    /// <summary>S3 is reached with its own flags, falling back to the table side's region and profile.</summary>
    internal static SideSpec S3(ParseResult parse, SideSpec tableSide)
    {
        var endpoint = parse.GetValue(FileOptions.S3Endpoint);
        var region = Text(parse.GetValue(FileOptions.S3Region)) ?? (string.IsNullOrWhiteSpace(endpoint) ? tableSide.Endpoint.Region : null);
        var spec = EndpointSpec.TryParse(endpoint, region, out var error) ?? throw new InvalidOperationException(error);
        return new SideSpec(spec, Text(parse.GetValue(FileOptions.S3Profile)) ?? tableSide.Profile);
    }

    internal static StorageLocation Location(ParseResult parse, Option<string> option) =>
        StorageLocation.TryParse(parse.GetValue(option)!, out var error) ?? throw new InvalidOperationException(error);

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
