using System.Runtime.CompilerServices;
using DdbCopy.Cli.Commands;

namespace DdbCopy.Tests.Cli;

/// <summary>docs/flags.md is what the command model makes: it never drifts from the tool.</summary>
public sealed class FlagReferenceTests
{
    private static string FlagsPath([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "docs", "flags.md"));

    [Fact]
    public void TheCommittedFlagReference_IsWhatTheCommandModelMakes()
    {
        var made = FlagReference.Markdown(CopyCommand.Create());
        var committed = File.Exists(FlagsPath()) ? File.ReadAllText(FlagsPath()) : "";
        if (made != committed)
        {
            File.WriteAllText(FlagsPath() + ".received", made); // compare; `ddbcopy flags-reference > docs/flags.md` writes it
        }

        Assert.True(made == committed, "docs/flags.md differs from the command model: run `ddbcopy flags-reference > docs/flags.md` (see docs/flags.md.received)");
    }

    [Fact]
    public void TheReference_NamesEveryOptionOfEveryCommand_InBothSpellings()
    {
        var root = CopyCommand.Create();
        var made = FlagReference.Markdown(root);

        foreach (var command in new[] { root }.Concat(root.Subcommands.Where(c => !c.Hidden)))
        {
            foreach (var option in command.Options.Where(o => !o.Hidden))
            {
                Assert.Contains($"`{option.Name}`", made, StringComparison.Ordinal);
                Assert.All(option.Aliases, alias => Assert.Contains($"`{alias}`", made, StringComparison.Ordinal));
            }
        }

        Assert.DoesNotContain(FlagReference.CommandName, made.Split("\n## ")[1..].Select(s => s.Split('\n')[0]));
    }
}
