using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using DdbCopy.Core.Aws;

namespace DdbCopy.Cli.Commands;

/// <summary>Checks the copy command line before anything is sent; every problem is reported, one line each.</summary>
internal static class CopyValidation
{
    public static void Ratio(OptionResult result)
    {
        if (TryGet(result.GetValueOrDefault<double>, out var value) && !(value > 0 && value <= 1))
        {
            result.AddError(Invariant($"{result.IdentifierToken?.Value ?? result.Option.Name} must be greater than 0 and at most 1 (got {value})."));
        }
    }

    public static void PositiveUnits(OptionResult result)
    {
        if (TryGet(result.GetValueOrDefault<double?>, out var units) && units is { } value && !(value > 0 && double.IsFinite(value)))
        {
            result.AddError(Invariant($"{result.IdentifierToken?.Value ?? result.Option.Name} must be a positive number of capacity units per second (got {value})."));
        }
    }

    public static void AtLeastOne(OptionResult result)
    {
        if (TryGet(result.GetValueOrDefault<int?>, out var value) && value is < 1)
        {
            result.AddError(Invariant($"{result.IdentifierToken?.Value ?? result.Option.Name} must be at least 1 (got {value})."));
        }
    }

    public static void AtLeastOneRequired(OptionResult result)
    {
        if (TryGet(result.GetValueOrDefault<int>, out var value) && value < 1)
        {
            result.AddError(Invariant($"{result.IdentifierToken?.Value ?? result.Option.Name} must be at least 1 (got {value})."));
        }
    }

    public static void NotNegative(OptionResult result)
    {
        if (TryGet(result.GetValueOrDefault<int>, out var value) && value < 0)
        {
            result.AddError(Invariant($"{result.IdentifierToken?.Value ?? result.Option.Name} must not be negative (got {value})."));
        }
    }

    public static void OutputFormat(OptionResult result)
    {
        if (TryGet(result.GetValueOrDefault<string>, out var value) && value is not ("text" or "json"))
        {
            result.AddError($"--output must be text or json (got '{value}').");
        }
    }

    /// <summary>Checks that need more than one option.</summary>
    public static void Command(CommandResult result)
    {
        if (TryGet(() => result.GetValue(CopyOptions.TotalSections), out var total)
            && TryGet(() => result.GetValue(CopyOptions.Section), out var section)
            && total >= 1 && (section < 0 || section >= total))
        {
            result.AddError(Invariant($"--section must be between 0 and --totalSections - 1 ({total - 1}); got {section}."));
        }

        Endpoint(result, CopyOptions.SourceEndpoint, CopyOptions.SourceRegion);
        Endpoint(result, CopyOptions.DestinationEndpoint, CopyOptions.DestinationRegion);
        if (TryGet(() => result.GetValue(CopyOptions.Verbose), out var verbose) && verbose
            && TryGet(() => result.GetValue(CopyOptions.Quiet), out var quiet) && quiet)
        {
            result.AddError("--verbose and --quiet cannot be used together.");
        }
    }

    private static void Endpoint(CommandResult result, Option<string?> endpoint, Option<string?> region)
    {
        if (TryGet(() => result.GetValue(endpoint), out var url) && TryGet(() => result.GetValue(region), out var name)
            && EndpointSpec.TryParse(url, name, out var error) is null)
        {
            result.AddError($"{endpoint.Name}: {error}.");
        }
    }

    /// <summary>Reads a value that may not have converted; System.CommandLine reports the conversion error itself.</summary>
    private static bool TryGet<T>(Func<T> read, out T value)
    {
        try
        {
            value = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
