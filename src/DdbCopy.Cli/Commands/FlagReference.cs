using System.CommandLine;
using System.Text;

namespace DdbCopy.Cli.Commands;

/// <summary>
/// docs/flags.md, made from the command model (every command, its options in their help groups, each option's other
/// spellings and whole description), so the reference cannot drift from the tool: a test compares the committed file
/// with this. <c>ddbcopy flags-reference &gt; docs/flags.md</c> writes it again.
/// </summary>
internal static class FlagReference
{
    public const string CommandName = "flags-reference";

    /// <summary>The hidden command that prints the reference.</summary>
    public static Command Create(RootCommand root)
    {
        var command = new Command(CommandName, "Prints the flag reference (docs/flags.md) made from the command model.") { Hidden = true };
        command.SetAction(async (_, ct) =>
        {
            await Console.Out.WriteAsync(Markdown(root).AsMemory(), ct);
            return 0;
        });
        return command;
    }

    public static string Markdown(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var text = new StringBuilder();
        text.Append("# ddbcopy flags\n\n")
            .Append("Every command and every option, grouped as `--help` groups them. Made from the command model by\n")
            .Append("`ddbcopy flags-reference > docs/flags.md`; a test fails when this file differs from it, so do not edit it by hand.\n")
            .Append("camelCase names are the classic tool's; each has a kebab-case spelling too.\n");
        foreach (var (path, command) in Commands(root, "ddbcopy"))
        {
            text.Append("\n## `").Append(path).Append("`\n\n");
            if (command.Description is { Length: > 0 } description)
            {
                text.Append(description).Append('\n');
            }

            foreach (var (title, options) in OptionGroups.Of(command))
            {
                text.Append("\n### ").Append(title).Append("\n\n| Option | Also | What it does |\n|---|---|---|\n");
                foreach (var option in options)
                {
                    var also = option.Aliases.Order(StringComparer.Ordinal).Select(a => $"`{a}`");
                    text.Append("| `").Append(option.Name).Append("` | ").Append(string.Join(" ", also)).Append(" | ")
                        .Append(Cell(option.Description)).Append(" |\n");
                }
            }
        }

        return text.ToString();
    }

    private static IEnumerable<(string Path, Command Command)> Commands(Command command, string path)
    {
        yield return (path, command);
        foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
        {
            foreach (var inner in Commands(sub, $"{path} {sub.Name}"))
            {
                yield return inner;
            }
        }
    }

    private static string Cell(string? text) =>
        (text ?? "").Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
