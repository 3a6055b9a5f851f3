using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using DdbCopy.Core.Aws;

namespace DdbCopy.Cli.Commands;

/// <summary>
/// Checks the copy command line before anything is sent. Every check lives in one command validator because
/// System.CommandLine skips option validators once a command validator has reported an error: this way every
/// problem is reported at once, one line each.
/// </summary>
internal static class CopyValidation
{
    public static void Command(CommandResult result)
    {
        Reading(result);
        Required(result, CopyOptions.DestinationTable);
        Sections(result);
        Writing(result);
        Rate(result);

        var create = (TryGet(result, CopyOptions.CreateDestination, out var flag) && flag)
            || (TryGet(result, CopyOptions.RecreateDestination, out var again) && again);
        Creation(result, create, "--createDestination or --recreateDestination", CopyOptions.SchemaFile);
        if (TryGet(result, CopyOptions.BoostWriteCapacity, out var boosted) && boosted is not null
            && TryGet(result, CopyOptions.TotalSections, out var sections) && sections > 1)
        {
            result.AddError("--boostWriteCapacity with --totalSections: sections end at different times, and the first to end would lower the capacity under the others; raise it before the job and lower it after (aws dynamodb update-table).");
        }

        if (TryGet(result, CopyOptions.Resume, out var resume) && resume && TryGet(result, CopyOptions.RecreateDestination, out var recreate) && recreate)
        {
            result.AddError("--resume continues a copy into the table it was writing; --recreateDestination would delete that table: use one or the other.");
        }

        Following(result);
        Endpoint(result, FileOptions.S3Endpoint); // a checkpoint in S3
    }

    /// <summary>--follow and the flags that only mean something with it.</summary>
    private static void Following(CommandResult result)
    {
        var follow = TryGet(result, CopyOptions.Follow, out var on) && on;
        Option[] followFlags = [CopyOptions.StopWhenCaughtUp, CopyOptions.EnableSourceStream, CopyOptions.ConflictAttribute, CopyOptions.FollowOnly,
            CopyOptions.SpoolDirectory];
        foreach (var option in followFlags.Where(o => result.GetResult(o) is { Implicit: false }))
        {
            if (!follow)
            {
                result.AddError($"{option.Name} only applies with --follow.");
            }
        }

        if (!follow)
        {
            return;
        }

        if (TryGet(result, CopyOptions.TotalSections, out var sections) && sections > 1)
        {
            if (TryGet(result, CopyOptions.FollowOnly, out var alone) && alone)
            {
                result.AddError("--followOnly with --totalSections: a copy in sections follows with its own follower (--section follow); --followOnly is one process with no copy.");
            }

            if (TryGet(result, CopyOptions.CheckpointFile, out var checkpoint) && checkpoint is { Length: > 0 } && !checkpoint.Contains("{section}", StringComparison.Ordinal))
            {
                result.AddError("--checkpointFile with --follow --totalSections must contain {section}: the follower reads every section's checkpoint (s3://bucket/job/ck-{section}.json, or a shared volume's path).");
            }
        }

        if (TryGet(result, CopyOptions.ConflictAttribute, out var attribute) && attribute is not null && string.IsNullOrWhiteSpace(attribute))
        {
            result.AddError("--conflictAttribute needs an attribute name.");
        }

        if (TryGet(result, CopyOptions.FollowOnly, out var only) && only
            && ((TryGet(result, CopyOptions.CreateDestination, out var create) && create) || (TryGet(result, CopyOptions.RecreateDestination, out var again) && again)))
        {
            result.AddError("--followOnly applies changes to a destination that already holds the data; --createDestination/--recreateDestination would start it empty: copy first (without --followOnly).");
        }
    }

    /// <summary>The options that change a table the command creates; they need <paramref name="createFlags"/>.</summary>
    internal static void Creation(CommandResult result, bool create, string createFlags, Option schemaFile)
    {
        if (TryGet(result, CopyOptions.BoostWriteCapacity, out var boost) && boost is < 1)
        {
            result.AddError(Invariant($"--boostWriteCapacity must be at least 1 (got {boost})."));
        }

        if (TryGet(result, CopyOptions.DestinationBillingMode, out var billing)
            && billing?.ToUpperInvariant() is not ("PROVISIONED" or "PAY_PER_REQUEST"))
        {
            result.AddError($"--destinationBillingMode must be PROVISIONED or PAY_PER_REQUEST (got '{billing}').");
        }

        foreach (var option in new[] { CopyOptions.DestinationReadCapacity, CopyOptions.DestinationWriteCapacity })
        {
            if (TryGet(result, option, out var units) && units is < 1)
            {
                result.AddError(Invariant($"{option.Name} must be at least 1 (got {units})."));
            }
        }

        Option[] needCreate = [schemaFile, CopyOptions.DestinationBillingMode, CopyOptions.DestinationReadCapacity,
            CopyOptions.DestinationWriteCapacity, CopyOptions.DestinationKmsKeyId];
        foreach (var option in needCreate.Where(o => result.GetResult(o) is { Implicit: false }))
        {
            if (!create)
            {
                result.AddError($"{option.Name} only applies with {createFlags}.");
            }
        }
    }

    /// <summary>The checks of `ddbcopy schema diff`.</summary>
    public static void Diff(CommandResult result)
    {
        Required(result, CopyOptions.SourceTable);
        Required(result, CopyOptions.DestinationTable);
        Endpoint(result, CopyOptions.SourceEndpoint);
        Endpoint(result, CopyOptions.DestinationEndpoint);
    }

    /// <summary>Source and read budget checks shared by copy and export.</summary>
    internal static void Reading(CommandResult result)
    {
        Required(result, CopyOptions.SourceTable);
        Ratio(result, CopyOptions.ReadThroughputRatio);
        PositiveUnits(result, CopyOptions.ReadCapacityUnits);
        AtLeastOne(result, CopyOptions.Segments);
        Endpoint(result, CopyOptions.SourceEndpoint);
    }

    /// <summary>Destination, write budget and output checks shared by copy and import.</summary>
    internal static void Writing(CommandResult result)
    {
        Ratio(result, CopyOptions.WriteThroughputRatio);
        PositiveUnits(result, CopyOptions.WriteCapacityUnits);
        AtLeastOne(result, CopyOptions.MaxWriteThreads);
        NotNegative(result, CopyOptions.MaxRetries);
        Endpoint(result, CopyOptions.DestinationEndpoint);
        Output(result);
    }

    /// <summary>--output, --verbose, --quiet and the timeouts, which every command that runs a job has.</summary>
    /// <summary>The options every command that reports has (see <see cref="OutputSettings.Validate"/>).</summary>
    internal static void Output(CommandResult result) => OutputSettings.Validate(result);

    internal static void Required(CommandResult result, Option<string> option)
    {
        if (result.GetResult(option) is null)
        {
            result.AddError($"Option '{option.Name}' is required.");
        }
        else if (TryGet(result, option, out var value) && string.IsNullOrWhiteSpace(value))
        {
            result.AddError($"Option '{option.Name}' must not be empty.");
        }
    }

    internal static void Ratio(CommandResult result, Option<double> option)
    {
        if (TryGet(result, option, out var value) && !(value > 0 && value <= 1))
        {
            result.AddError(Invariant($"{option.Name} must be greater than 0 and at most 1 (got {value})."));
        }
    }

    internal static void PositiveUnits(CommandResult result, Option<double?> option)
    {
        if (TryGet(result, option, out var units) && units is { } value && !(value > 0 && double.IsFinite(value)))
        {
            result.AddError(Invariant($"{option.Name} must be a positive number of capacity units per second (got {value})."));
        }
    }

    internal static void AtLeastOne(CommandResult result, Option<int?> option)
    {
        if (TryGet(result, option, out var value) && value is < 1)
        {
            result.AddError(Invariant($"{option.Name} must be at least 1 (got {value})."));
        }
    }

    internal static void NotNegative(CommandResult result, Option<int> option)
    {
        if (TryGet(result, option, out var value) && value < 0)
        {
            result.AddError(Invariant($"{option.Name} must not be negative (got {value})."));
        }
    }

    internal static void Sections(CommandResult result)
    {
        var totalGiven = TryGet(result, CopyOptions.TotalSections, out var total);
        var sectionGiven = TryGet(result, CopyOptions.Section, out var section);
        var orchestrated = sectionGiven ? null : OrchestratorSection.Find(Environment.GetEnvironmentVariable);
        if (orchestrated is { } found)
        {
            if (OrchestratorSection.Number(found.Value) is not { } number)
            {
                result.AddError($"{found.Variable} is '{found.Value}', not a section number (it is set by {found.Orchestrator}); or pass --section.");
                return;
            }

            if (!totalGiven)
            {
                result.AddError($"{found.Variable} is set ({found.Orchestrator}): pass --totalSections, the number of sections (the job's completions or the array's size).");
                return;
            }

            section = number;
            sectionGiven = true;
        }

        if (!totalGiven && !sectionGiven)
        {
            return;
        }

        total = totalGiven ? total : 1;
        section = sectionGiven ? section : 0;
        var from = orchestrated is { } f2 ? $" (from {f2.Variable})" : "";
        var follow = TryGet(result, CopyOptions.Follow, out var on) && on;

        if (total < 1)
        {
            result.AddError(Invariant($"--totalSections must be at least 1 (got {total})."));
        }
        else if (section == CopyOptions.FollowerSection && (!follow || total < 2))
        {
            result.AddError("--section follow is the follower of a copy in sections: it needs --follow and --totalSections of 2 or more.");
        }
        else if (section == total && follow && total > 1)
        {
            // The follower: index N of an Indexed Job with N + 1 completions (or of an array of N + 1).
        }
        else if (section != CopyOptions.FollowerSection && (section < 0 || section >= total))
        {
            result.AddError(Invariant($"--section must be between 0 and --totalSections - 1 ({total - 1}); got {section}{from}."));
        }
    }

    /// <summary>--rate is one of its three values.</summary>
    internal static void Rate(CommandResult result)
    {
        if (TryGet(result, CopyOptions.Rate, out var rate) && rate?.ToLowerInvariant() is not ("auto" or "fixed" or "adaptive"))
        {
            result.AddError($"--rate must be auto, fixed or adaptive (got '{rate}').");
        }
    }

    internal static void Endpoint(CommandResult result, Option<string?> endpoint)
    {
        if (TryGet(result, endpoint, out var url) && EndpointSpec.TryParse(url, null, out var error) is null)
        {
            result.AddError($"{endpoint.Name}: {error}.");
        }
    }

    /// <summary>
    /// Reads a value the user gave. Options left out are skipped (their defaults are valid, and are not yet applied
    /// while a command validator runs), and so are values that did not convert (System.CommandLine reports those).
    /// </summary>
    internal static bool TryGet<T>(CommandResult result, Option<T> option, out T value)
    {
        value = default!;
        if (result.GetResult(option) is not { Implicit: false })
        {
            return false;
        }

        try
        {
            value = result.GetValue(option)!;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
