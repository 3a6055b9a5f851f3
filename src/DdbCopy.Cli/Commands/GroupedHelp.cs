using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace DdbCopy.Cli.Commands;

/// <summary>
/// --help by purpose: the description, the usage, the options in their groups (<see cref="OptionGroups"/>) one line
/// each (<see cref="ShortDescriptions"/>), the subcommands, and for the copy a few examples. No line is wider than
/// <see cref="MaxWidth"/>; the details of every option are in the README's flag table.
/// </summary>
internal static class GroupedHelp
{
    public const int MaxWidth = 120;

    private static readonly string[] Examples =
    [
        "ddbcopy --sourceTable orders --destinationTable orders-staging --readThroughputRatio 0.3",
        "ddbcopy --sourceTable orders --destinationTable orders-copy --createDestination --follow",
        "ddbcopy export --sourceTable orders --to s3://backups/orders/2026-12-05",
        "ddbcopy import --from s3://backups/orders/2026-12-05 --destinationTable orders --createDestination",
        "ddbcopy verify --sourceTable orders --destinationTable orders-staging --repair",
    ];

    /// <summary>Makes the help option of <paramref name="root"/> (which serves every subcommand) print grouped help.</summary>
    public static void Apply(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            help.Action = new Action();
        }
    }

    /// <summary>The whole help of <paramref name="command"/>.</summary>
    public static IReadOnlyList<string> Lines(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var lines = new List<string>();
        if (command.Description is { } description)
        {
            lines.AddRange(Wrap(description, MaxWidth));
            lines.Add("");
        }

        var path = string.Join(" ", Path(command).Select(c => c is RootCommand ? "ddbcopy" : c.Name));
        lines.Add("Usage:");
        lines.Add($"  {path}{(command.Subcommands.Count > 0 ? " [command]" : "")} [options]");
        lines.Add("");
        lines.AddRange(OptionLines(command));
        if (command.Subcommands.Count > 0)
        {
            lines.Add("");
            lines.Add("Commands:");
            var width = command.Subcommands.Where(c => !c.Hidden).Max(c => c.Name.Length);
            lines.AddRange(command.Subcommands.Where(c => !c.Hidden).Select(c => $"  {c.Name.PadRight(width)}  {FirstSentence(c.Description ?? "")}"));
        }

        if (command is RootCommand)
        {
            lines.Add("");
            lines.Add("Examples:");
            lines.AddRange(Examples.Select(e => "  " + e));
        }

        lines.Add("");
        lines.Add("Every option also takes its kebab-case spelling (--source-table for --sourceTable).");
        lines.Add("Each option in detail, with defaults, and the exit codes: the README's \"Flags\" and \"Exit codes\" sections.");
        return lines;
    }

    /// <summary>The options of <paramref name="command"/>, one line each, under their groups' titles.</summary>
    public static IReadOnlyList<string> OptionLines(Command command)
    {
        var groups = OptionGroups.Of(command).ToList();
        var width = groups.SelectMany(g => g.Options).Select(o => Label(o).Length).DefaultIfEmpty(0).Max();
        var lines = new List<string>();
        foreach (var (title, options) in groups)
        {
            if (lines.Count > 0)
            {
                lines.Add("");
            }

            lines.Add(title + ":");
            lines.AddRange(options.Select(o => $"  {Label(o).PadRight(width)}  {ShortDescriptions.For(o)}".TrimEnd()));
        }

        return lines;
    }

    private static IEnumerable<string> Wrap(string text, int width)
    {
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line;
                line = "";
            }

            line = line.Length == 0 ? word : line + " " + word;
        }

        if (line.Length > 0)
        {
            yield return line;
        }
    }

    private static IEnumerable<Command> Path(Command command)
    {
        var path = new List<Command>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            path.Insert(0, c);
        }

        return path;
    }

    private static string FirstSentence(string text)
    {
        var first = ShortDescriptions.FirstSentence(text);
        return first.Length <= 100 ? first : first[..first.LastIndexOf(' ', 97)] + "...";
    }

    private sealed class Action : SynchronousCommandLineAction
    {
        /// <summary>Help is shown even when required options are missing, as the built-in help is.</summary>
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            ArgumentNullException.ThrowIfNull(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            foreach (var line in Lines(parseResult.CommandResult.Command))
            {
                output.WriteLine(line);
            }

            return 0;
        }
    }

    /// <summary>The option's name and what it takes: <c>--segments &lt;n&gt;</c>, <c>--resume</c>.</summary>
    private static string Label(Option option)
    {
        var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
        var value = type == typeof(bool) ? "" : type == typeof(int) || type == typeof(long) || type == typeof(double) ? " <n>" : " <text>";
        var shortAlias = option.Aliases.FirstOrDefault(a => a.Length == 2 && a[0] == '-' && a[1] != '-');
        return (shortAlias is null ? "" : shortAlias + ", ") + option.Name + (option is HelpOption or VersionOption ? "" : value);
    }
}
