using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using DdbCopy.Cli.Output;
using DdbCopy.Core.Jobs.Generating;
using static DdbCopy.Cli.Commands.CopyValidation;

namespace DdbCopy.Cli.Commands;

/// <summary>`ddbcopy generate`: fill a table with generated items, then keep changing it at a rate (a load generator).</summary>
internal static partial class GenerateCommand
{
    public static readonly Option<string> Table = new("--table")
    {
        Description = "The table to fill (required). It must exist; items get keys for its key schema.",
    };

    public static readonly Option<string?> Endpoint = new("--endpoint")
    {
        Description = "The table's endpoint, in the same forms as --sourceEndpoint. Default: the region's public endpoint.",
    };

    public static readonly Option<string?> Region = new("--region")
    {
        Description = "The table's region. Default: from the endpoint host name, else the profile or AWS_REGION.",
    };

    public static readonly Option<string?> Profile = new("--profile")
    {
        Description = "Named AWS profile. Default: the SDK's credential chain.",
    };

    public static readonly Option<string?> RoleArn = new("--roleArn", "--role-arn")
    {
        Description = "A role to assume.",
    };

    public static readonly Option<string?> ExternalId = new("--externalId", "--external-id")
    {
        Description = "The external id the role requires.",
    };

    public static readonly Option<long> Items = new("--items")
    {
        Description = "Items to write first, with keys made from 0 to N-1 (the same keys every run).",
        DefaultValueFactory = _ => 1000,
    };

    public static readonly Option<string> ItemSize = new("--itemSize", "--item-size")
    {
        Description = "About how large each item is: bytes, or with KB (1024 bytes), e.g. 1KB, 400, 100KB (at most 400KB).",
        DefaultValueFactory = _ => "1KB",
    };

    public static readonly Option<bool> Rich = new("--rich")
    {
        Description = "Items of every attribute type (strings, numbers up to 38 digits, binary, booleans, null, the three set types, lists, nested maps).",
    };

    public static readonly Option<double> UpdatesPerSecond = new("--updatesPerSecond", "--updates-per-second")
    {
        Description = "After the fill: puts of new versions of random items per second, for --duration.",
    };

    public static readonly Option<double> DeletesPerSecond = new("--deletesPerSecond", "--deletes-per-second")
    {
        Description = "After the fill: deletes of random items per second, for --duration.",
    };

    public static readonly Option<string?> Duration = new("--duration")
    {
        Description = "How long to keep changing the table: seconds, or with s, m or h (60s, 5m).",
    };

    public static readonly Option<string?> ConflictAttribute = new("--conflictAttribute", "--conflict-attribute")
    {
        Description = "An attribute every update sets to the time of the change (ISO 8601, UTC); each update also raises the item's 'version'.",
    };

    public static readonly Option<int?> Seed = new("--seed")
    {
        Description = "Seeds the choice of the items to change, to repeat a run. Default: a random seed, logged.",
    };

    [GeneratedRegex(@"^\s*(\d+)\s*(b|kb|kib)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SizeText();

    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DurationText();

    public static Command Create()
    {
        var command = new Command("generate",
            "Fills a table with generated items, then optionally keeps updating and deleting random items at a rate: for benchmarks, tests and migration rehearsals.");
        Option[] options =
        [
            Table, Endpoint, Region, Profile, RoleArn, ExternalId, Items, ItemSize, Rich, UpdatesPerSecond, DeletesPerSecond, Duration,
            ConflictAttribute, Seed, .. WriteSettingsBinder.Options,
            CopyOptions.MaxRetries, CopyOptions.RequestTimeoutSeconds, CopyOptions.DrainTimeoutSeconds,
            CopyOptions.ProgressIntervalSeconds, CopyOptions.Output, CopyOptions.LogFormat, CopyOptions.MetricsListen, CopyOptions.Verbose, CopyOptions.Quiet,
        ];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(Validate);
        command.SetAction((parse, _) =>
        {
            var settings = Bind(parse);
            var output = OutputSettings.From(parse);
            return CommandRunner.RunAsync(output, "generated items", settings.Table,
                (loggers, observer, stop) => new GenerateRunner(loggers, TimeProvider.System).RunAsync(settings, observer, stop),
                summary => summary.Complete ? ExitCodes.Success : summary.Interrupted ? ExitCodes.Interrupted : ExitCodes.Incomplete,
                (summary, exitCode) => GenerateOutput.Write(Console.Out, output.Format, settings.Table, summary, exitCode),
                "stopped before anything was written.");
        });
        return command;
    }

    private static void Validate(CommandResult result)
    {
        Required(result, Table);
        CopyValidation.Endpoint(result, Endpoint);
        Writing(result);
        if (TryGet(result, Items, out var items) && items < 0)
        {
            result.AddError(Invariant($"--items must be 0 or more (got {items})."));
        }

        if (TryGet(result, ItemSize, out var size) && Bytes(size) is not (>= 1 and <= 400 * 1024))
        {
            result.AddError($"--itemSize must be a size from 1 byte to 400KB, e.g. 1KB or 400 (got '{size}').");
        }

        foreach (var rate in new[] { UpdatesPerSecond, DeletesPerSecond })
        {
            if (TryGet(result, rate, out var value) && !(value >= 0 && double.IsFinite(value)))
            {
                result.AddError(Invariant($"{rate.Name} must be 0 or more (got {value})."));
            }
        }

        var changes = (TryGet(result, UpdatesPerSecond, out var u) ? u : 0) + (TryGet(result, DeletesPerSecond, out var d) ? d : 0);
        var duration = TryGet(result, Duration, out var text) ? text : null;
        if (duration is not null && Seconds(duration) is null)
        {
            result.AddError($"--duration must be seconds, or a number with s, m or h, e.g. 60s or 5m (got '{duration}').");
        }

        if (changes > 0 && duration is null)
        {
            result.AddError("--updatesPerSecond and --deletesPerSecond need --duration: how long to keep changing the table.");
        }
    }

    private static GenerateSettings Bind(ParseResult parse) => new()
    {
        Side = CopySettingsBinder.Side(parse, Endpoint, Region, Profile, RoleArn, ExternalId),
        Table = parse.GetValue(Table)!,
        Items = parse.GetValue(Items),
        ItemBytes = (int)Bytes(parse.GetValue(ItemSize)!)!.Value,
        Rich = parse.GetValue(Rich),
        UpdatesPerSecond = parse.GetValue(UpdatesPerSecond),
        DeletesPerSecond = parse.GetValue(DeletesPerSecond),
        Duration = parse.GetValue(Duration) is { } text ? TimeSpan.FromSeconds(Seconds(text)!.Value) : TimeSpan.Zero,
        ConflictAttribute = parse.GetValue(ConflictAttribute) is { Length: > 0 } name ? name : null,
        Seed = parse.GetValue(Seed),
        Write = WriteSettingsBinder.Bind(parse, parse.GetValue(CopyOptions.DeadLetterFile) is { Length: > 0 } path ? path : null),
        MaxRetries = parse.GetValue(CopyOptions.MaxRetries),
        RequestTimeout = CopySettingsBinder.RequestTimeout(parse),
    };

    /// <summary>"1KB", "400", "2kib" in bytes, or null when it is not a size.</summary>
    internal static long? Bytes(string? text)
    {
        var match = SizeText().Match(text ?? "");
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        return match.Groups[2].Value.Length > 0 && match.Groups[2].Value.ToLowerInvariant() != "b" ? number * 1024 : number;
    }

    /// <summary>"90", "60s", "5m", "1.5h" in seconds, or null when it is not a duration.</summary>
    internal static double? Seconds(string? text)
    {
        var match = DurationText().Match(text ?? "");
        if (!match.Success)
        {
            return null;
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value.ToLowerInvariant() switch { "m" => value * 60, "h" => value * 3600, _ => value };
    }
}
