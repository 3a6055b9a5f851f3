using System.CommandLine;
using System.CommandLine.Parsing;
using DdbCopy.Core.Jobs.Importing;
using DdbCopy.Core.Storage;
using static DdbCopy.Cli.Commands.CopyValidation;

namespace DdbCopy.Cli.Commands;

/// <summary>The checks of `ddbcopy export` and `ddbcopy import`, every problem at once, before anything is sent.</summary>
internal static class FileValidation
{
    public static void Export(CommandResult result)
    {
        Reading(result);
        Sections(result);
        Required(result, FileOptions.To);
        NotNegative(result, CopyOptions.MaxRetries);
        Location(result, FileOptions.To);
        if (TryGet(result, FileOptions.Compression, out var compression) && compression?.ToLowerInvariant() is not ("gzip" or "zstd" or "none"))
        {
            result.AddError($"--compression must be gzip, zstd or none (got '{compression}').");
        }

        if (TryGet(result, FileOptions.MaxFileSizeMb, out var maxFile) && maxFile < 1)
        {
            result.AddError(Invariant($"--maxFileSizeMb must be at least 1 (got {maxFile})."));
        }

        S3(result);
        CopyValidation.Output(result);
        Rate(result);
    }

    public static void Import(CommandResult result)
    {
        Required(result, ImportOptions.From);
        Required(result, CopyOptions.DestinationTable);
        Writing(result);
        Sections(result);
        if (TryGet(result, CopyOptions.TotalSections, out var sections) && sections > 1 && TryGet(result, ImportOptions.From, out var source)
            && source is not null && ImportFrom.TryParse(source, out _) is { } location && ImportFrom.KindOf(location) is not null)
        {
            result.AddError("--totalSections with a database source: a database table is imported by one process (sections split an export's data files).");
        }
        Location(result, ImportOptions.From, ImportFrom.TryParse);
        var create = TryGet(result, ImportOptions.CreateDestination, out var flag) && flag;
        Creation(result, create, "--createDestination", ImportOptions.SchemaFile);
        if (TryGet(result, ImportOptions.Format, out var format) && format?.ToLowerInvariant() is not ("auto" or "dynamodb-json" or "csv"))
        {
            result.AddError($"--format must be auto, dynamodb-json or csv (got '{format}').");
        }

        var errors = new List<string>();
        CsvMappingParser.Parse(result.GetValue(ImportOptions.Column), result.GetValue(ImportOptions.Attribute), result.GetValue(ImportOptions.ExcludeColumns),
            result.GetValue(ImportOptions.GroupBy), result.GetValue(ImportOptions.Pivot), result.GetValue(ImportOptions.Delimiter), errors);
        errors.ForEach(result.AddError);
        S3(result);
        Rate(result);
    }

    internal delegate StorageLocation? LocationParser(string value, out string? error);

    internal static void Location(CommandResult result, Option<string> option, LocationParser? parse = null)
    {
        string? error = null;
        if (TryGet(result, option, out var value) && !string.IsNullOrWhiteSpace(value) && (parse ?? StorageLocation.TryParse)(value, out error) is null)
        {
            result.AddError($"{option.Name}: {error}.");
        }
    }

    internal static void S3(CommandResult result)
    {
        Endpoint(result, FileOptions.S3Endpoint);
        if (TryGet(result, FileOptions.S3PartSizeMb, out var part) && part < 5)
        {
            result.AddError(Invariant($"--s3PartSizeMb must be at least 5, S3's smallest part (got {part})."));
        }
    }
}
