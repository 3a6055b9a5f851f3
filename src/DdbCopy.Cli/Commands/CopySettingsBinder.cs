using System.CommandLine;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Jobs.Copying;
using DdbCopy.Core.Schema;

namespace DdbCopy.Cli.Commands;

/// <summary>Turns a validated parse result into the engine's immutable <see cref="CopySettings"/>.</summary>
internal static class CopySettingsBinder
{
    public static CopySettings Bind(ParseResult parse)
    {
        var (section, sectionFrom) = Section(parse);
        var total = parse.GetValue(CopyOptions.TotalSections);
        section = section == CopyOptions.FollowerSection ? total : section;
        var source = Side(parse, CopyOptions.SourceEndpoint, CopyOptions.SourceRegion, CopyOptions.SourceProfile, CopyOptions.SourceRoleArn, CopyOptions.SourceExternalId);
        return new CopySettings
        {
            Source = source,
            S3 = FileSettingsBinder.S3(parse, source),
            SourceTable = parse.GetValue(CopyOptions.SourceTable)!,
            Destination = Side(parse, CopyOptions.DestinationEndpoint, CopyOptions.DestinationRegion, CopyOptions.DestinationProfile,
                CopyOptions.DestinationRoleArn, CopyOptions.DestinationExternalId),
            DestinationTable = parse.GetValue(CopyOptions.DestinationTable)!,
            ReadRatio = parse.GetValue(CopyOptions.ReadThroughputRatio),
            ReadUnitsPerSecond = parse.GetValue(CopyOptions.ReadCapacityUnits),
            Write = WriteSettingsBinder.Bind(parse, parse.GetValue(CopyOptions.DeadLetterFile) is { Length: > 0 } path ? PerSection(path, section, total) : null),
            TotalSections = total,
            Section = section,
            SectionFrom = sectionFrom,
            Segments = parse.GetValue(CopyOptions.Segments),
            ConsistentScan = parse.GetValue(CopyOptions.ConsistentScan),
            MaxRetries = parse.GetValue(CopyOptions.MaxRetries),
            RequestTimeout = RequestTimeout(parse),
            Resume = parse.GetValue(CopyOptions.Resume),
            ReadRequestPrice = parse.GetValue(CopyOptions.ReadRequestPrice),
            WriteRequestPrice = parse.GetValue(CopyOptions.WriteRequestPrice),
            CheckpointFile = parse.GetValue(CopyOptions.CheckpointFile) is { Length: > 0 } checkpoint ? PerSection(checkpoint, section, total) : null,
            CheckpointTemplate = parse.GetValue(CopyOptions.CheckpointFile) is { Length: > 0 } template ? template : null,
            Follow = parse.GetValue(CopyOptions.Follow)
                ? new FollowSettings
                {
                    StopWhenCaughtUp = parse.GetValue(CopyOptions.StopWhenCaughtUp),
                    EnableSourceStream = parse.GetValue(CopyOptions.EnableSourceStream),
                    ConflictAttribute = parse.GetValue(CopyOptions.ConflictAttribute) is { Length: > 0 } conflict ? conflict.Trim() : null,
                    FollowOnly = parse.GetValue(CopyOptions.FollowOnly),
                    SpoolDirectory = parse.GetValue(CopyOptions.SpoolDirectory) is { Length: > 0 } spool ? spool : null,
                }
                : null,
            Shape = ShapeBinder.Bind(parse),
            Preview = parse.GetValue(ShapeOptions.Preview),
            RejectFile = parse.GetValue(ImportOptions.RejectFile) is { Length: > 0 } rejects ? rejects : null,
            CreateDestination = parse.GetValue(CopyOptions.CreateDestination),
            RecreateDestination = parse.GetValue(CopyOptions.RecreateDestination),
            BoostWriteCapacity = parse.GetValue(CopyOptions.BoostWriteCapacity),
            SchemaFile = parse.GetValue(CopyOptions.SchemaFile) is { Length: > 0 } schema ? schema : null,
            Overrides = new CreateOverrides(
                parse.GetValue(CopyOptions.DestinationBillingMode)?.ToUpperInvariant(),
                parse.GetValue(CopyOptions.DestinationReadCapacity),
                parse.GetValue(CopyOptions.DestinationWriteCapacity),
                parse.GetValue(CopyOptions.DestinationKmsKeyId) is { Length: > 0 } key ? key : null),
        };
    }

    /// <summary>--section, or the index an orchestrator gives (see <see cref="OrchestratorSection"/>), and where it came from.</summary>
    internal static (int Section, string From) Section(ParseResult parse)
    {
        if (parse.GetResult(CopyOptions.Section) is { Implicit: false })
        {
            return (parse.GetValue(CopyOptions.Section), "--section");
        }

        var found = OrchestratorSection.Find(Environment.GetEnvironmentVariable);
        return found is { } f && OrchestratorSection.Number(f.Value) is { } number
            ? (number, OrchestratorSection.Describe(f))
            : (parse.GetValue(CopyOptions.Section), "--section");
    }

    /// <summary>A path with <c>{section}</c> replaced by this process's section ("follow" for the follower), so one command line serves every section.</summary>
    internal static string PerSection(string path, int section, int total) =>
        Core.Engine.Checkpoints.CheckpointFile.ForSection(path, section, total);

    /// <summary>--rate (validated already) as its mode.</summary>
    public static Core.Capacity.RateMode Rate(ParseResult parse) =>
        Enum.Parse<Core.Capacity.RateMode>(parse.GetValue(CopyOptions.Rate) ?? "auto", ignoreCase: true);

    /// <summary>--requestTimeoutSeconds as a time span.</summary>
    public static TimeSpan RequestTimeout(ParseResult parse) => TimeSpan.FromSeconds(parse.GetValue(CopyOptions.RequestTimeoutSeconds));

    /// <summary>One side's endpoint, region and profile (the endpoint was already validated).</summary>
    public static SideSpec Side(ParseResult parse, Option<string?> endpoint, Option<string?> region, Option<string?> profile,
        Option<string?>? roleArn = null, Option<string?>? externalId = null)
    {
        // CopyValidation.Command has already rejected endpoints that do not parse.
        var spec = EndpointSpec.TryParse(parse.GetValue(endpoint), parse.GetValue(region), out var error)
            ?? throw new InvalidOperationException(error);
        return new SideSpec(spec, Text(parse, profile), roleArn is null ? null : Text(parse, roleArn), externalId is null ? null : Text(parse, externalId));
    }

    private static string? Text(ParseResult parse, Option<string?> option)
    {
        var value = parse.GetValue(option);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
