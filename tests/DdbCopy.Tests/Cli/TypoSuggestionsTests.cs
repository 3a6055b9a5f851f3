using DdbCopy.Cli.Commands;

namespace DdbCopy.Tests.Cli;

public sealed class TypoSuggestionsTests
{
    private static IReadOnlyList<string> Explain(params string[] args) => TypoSuggestions.Explain(CopyCommand.Create().Parse(args));

    [Theory]
    [InlineData("--sourceTabel", "--sourceTable")]
    [InlineData("--sourcetable", "--sourceTable")]
    [InlineData("--source-tabel", "--source-table")]
    [InlineData("--destinationTabel", "--destinationTable")]
    [InlineData("--writeThroughputRatio0", "--writeThroughputRatio")]
    public void AMistypedCopyOption_GetsTheOptionMeant_InTheSpellingTyped(string typed, string meant)
    {
        var errors = Explain(typed, "x", "--sourceTable", "a1", "--destinationTable", "b1");

        Assert.Contains(errors, e => e.EndsWith($"Did you mean {meant}?", StringComparison.Ordinal) && e.Contains($"'{typed}'", StringComparison.Ordinal));
    }

    [Fact]
    public void AMistypedCommand_GetsTheCommandMeant()
    {
        Assert.Contains(Explain("improt", "--from", "x"), e => e.EndsWith("Did you mean import?", StringComparison.Ordinal));
    }

    [Fact]
    public void AnOptionOfASubcommand_IsSuggestedFromThatCommandsOptions()
    {
        Assert.Contains(Explain("import", "--frm", "x", "--destinationTable", "b1"), e => e.EndsWith("Did you mean --from?", StringComparison.Ordinal));
    }

    [Fact]
    public void AWordNearNothing_GetsNoGuess()
    {
        var errors = Explain("--sourceTable", "a1", "--destinationTable", "b1", "--banana");

        Assert.NotEmpty(errors);
        Assert.DoesNotContain(errors, e => e.Contains("Did you mean", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sourcetable", "sourcetable", 0)]
    [InlineData("sourcetabel", "sourcetable", 1)]
    [InlineData("abc", "", 3)]
    [InlineData("kitten", "sitting", 3)]
    public void TheDistance_CountsInsertsDeletesReplacesAndSwaps(string a, string b, int expected)
    {
        Assert.Equal(expected, TypoSuggestions.Distance(a, b));
    }
}
