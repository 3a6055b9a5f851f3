using DdbCopy.Cli.Commands;

namespace DdbCopy.Tests.Cli;

/// <summary>Every completion script names every command's options (the bash one is run in a real bash by the integration tests).</summary>
public sealed class CompletionScriptTests
{
    [Theory]
    [InlineData("bash")]
    [InlineData("zsh")]
    [InlineData("fish")]
    [InlineData("pwsh")]
    public void TheScript_NamesEveryCommand_AndEveryOptionOfIt(string shell)
    {
        var root = CopyCommand.Create();
        var script = CompletionCommand.Script(root, shell);

        foreach (var (path, command, _) in CompletionCommand.Commands(root))
        {
            Assert.Contains(path.Split(' ')[^1], script, StringComparison.Ordinal);
            foreach (var option in OptionGroups.Of(command).SelectMany(g => g.Options))
            {
                Assert.Contains(shell == "fish" ? "-l " + option.Name[2..] : option.Name, script, StringComparison.Ordinal);
            }
        }

        Assert.DoesNotContain(FlagReference.CommandName, script, StringComparison.Ordinal);
    }
}
