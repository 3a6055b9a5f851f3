using System.CommandLine;
using DdbCopy.Cli.Commands;

namespace DdbCopy.Tests.Cli;

/// <summary>--help of every command: options by purpose, one line each, none wider than 120 characters.</summary>
public sealed class GroupedHelpTests
{
    public static TheoryData<string> Commands => ["", "export", "import", "schema", "schema export", "schema diff", "verify", "generate", "finish"];

    [Theory]
    [MemberData(nameof(Commands))]
    public void EveryCommandsHelp_GroupsEveryOption_OneLineEach_WithinTheWidth(string command)
    {
        var text = Help(command);
        var lines = text.Split('\n');

        Assert.All(lines, line => Assert.True(line.Length <= GroupedHelp.MaxWidth, $"{line.Length} characters: {line}"));
        Assert.DoesNotContain("\nOther:", text, StringComparison.Ordinal);
        var parsed = CopyCommand.Create().Parse(command.Length == 0 ? [] : command.Split(' '));
        var options = parsed.CommandResult.Command.Options.Where(o => !o.Hidden).ToList();
        foreach (var option in options)
        {
            var shown = new System.Text.RegularExpressions.Regex($"^  (-[a-z?], )?{System.Text.RegularExpressions.Regex.Escape(option.Name)}( |$)");
            Assert.Single(lines, shown.IsMatch);
        }
    }

    [Fact]
    public void TheCopysHelp_ShowsItsGroupsInOrder_AndEndsWithExamples()
    {
        var text = Help("");

        var titles = OptionGroups.All.Select(g => g.Title + ":").Where(t => text.Contains("\n" + t + "\n", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Source:", "Destination:", "S3:", "Capacity and rate:", "Resume, sections and failures:", "Follow:", "Table definitions:", "Shaping:", "Plan:",
            "Output:"], titles);
        Assert.True(titles.Select(t => text.IndexOf("\n" + t + "\n", StringComparison.Ordinal)).Order().SequenceEqual(
            titles.Select(t => text.IndexOf("\n" + t + "\n", StringComparison.Ordinal))));
        Assert.Contains("Examples:\n  ddbcopy --sourceTable orders --destinationTable orders-staging --readThroughputRatio 0.3\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOptionInNoGroup_WouldBeShownUnderOther()
    {
        var command = new Command("probe") { new Option<bool>("--unplacedFlag") { Description = "Nowhere. More text." } };

        var lines = GroupedHelp.OptionLines(command);

        Assert.Equal(["Other:", "  --unplacedFlag  Nowhere."], lines);
    }

    [Theory]
    [InlineData("One sentence. Another.", "One sentence.")]
    [InlineData("A role, e.g. in another account. More.", "A role, e.g. in another account.")]
    [InlineData("No full stop", "No full stop")]
    public void TheShortLine_IsTheFirstSentence(string description, string shown) => Assert.Equal(shown, ShortDescriptions.FirstSentence(description));

    private static string Help(string command)
    {
        var output = new StringWriter();
        CopyCommand.Create().Parse([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"])
            .Invoke(new InvocationConfiguration { Output = output });
        return output.ToString().ReplaceLineEndings("\n");
    }
}
