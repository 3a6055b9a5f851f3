using System.Text;
using System.Text.RegularExpressions;
using DdbCopy.Cli.Commands;

namespace DdbCopy.Tests.Cli;

/// <summary>
/// Every ddbcopy command in the shell blocks of the README and of docs/, and in the README's inline code (its task
/// table), is parsed and validated by the real command model, so an example cannot name a flag that is gone, misspell
/// one, or combine flags the tool refuses. (The blocks that can run here, the MySQL migration among them, are run for
/// real by the integration tests.)
/// </summary>
public sealed partial class ReadmeCommandTests
{
    /// <summary>The README and the pages of docs/ (the generated flag reference has no examples).</summary>
    internal static IEnumerable<string> Pages() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot(), "docs"), "*.md").Where(f => Path.GetFileName(f) != "flags.md").Order(StringComparer.Ordinal)
            .Prepend(Path.Combine(RepositoryRoot(), "README.md"));

    private static IEnumerable<(string Page, int Line, string Command)> AllCommands() =>
        Pages().SelectMany(page =>
        {
            var lines = File.ReadAllLines(page);
            var name = Path.GetRelativePath(RepositoryRoot(), page);
            var inline = name == "README.md" ? InlineCommands(lines) : [];
            return ReadmeCommands(lines).Concat(inline).Select(c => (name, c.Line, c.Command));
        });

    public static TheoryData<string, int, string> Commands()
    {
        var data = new TheoryData<string, int, string>();
        foreach (var (page, line, command) in AllCommands())
        {
            data.Add(page, line, command);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void EveryDdbcopyCommandInTheDocs_IsOneTheToolTakes(string page, int line, string command)
    {
        var words = Split(command);
        var key = Path.GetTempFileName();
        try
        {
            if (words.Contains("--mask") && !words.Contains("--maskKeyFile"))
            {
                // The README sets DDBCOPY_MASK_KEY before these; a file stands in for it here (the process's environment is shared by every test).
                File.WriteAllText(key, "a mask key of at least 16 bytes");
                words = [.. words, "--maskKeyFile", key];
            }

            var parse = CopyCommand.Create().Parse(words);

            Assert.True(parse.Errors.Count == 0, $"{page} line {line}: {command}\n" + string.Join("\n", parse.Errors.Select(e => e.Message)));
        }
        finally
        {
            File.Delete(key);
        }
    }

    [Fact]
    public void TheDocs_HaveDdbcopyCommandsToCheck()
    {
        Assert.True(AllCommands().Count() > 25);
        Assert.True(InlineCommands(File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"))).Count() >= 5); // the task table
    }

    /// <summary>The inline code spans of table rows that are whole ddbcopy commands with options (the README's tasks).</summary>
    internal static IEnumerable<(int Line, string Command)> InlineCommands(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith('|'))
            {
                continue;
            }

            foreach (Match span in InlineCode().Matches(lines[i]))
            {
                var code = span.Groups[1].Value;
                if (code.StartsWith("ddbcopy ", StringComparison.Ordinal) && code.Contains(" --", StringComparison.Ordinal) && !code.Contains("...", StringComparison.Ordinal))
                {
                    yield return (i + 1, code["ddbcopy ".Length..]);
                }
            }
        }
    }

    /// <summary>The ddbcopy commands of the ```bash and ```sh blocks: continuation lines joined, comments left out.</summary>
    internal static IEnumerable<(int Line, string Command)> ReadmeCommands(string[] lines)
    {
        var inShell = false;
        var inHeredoc = (string?)null;
        var pending = new StringBuilder();
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var text = lines[i];
            if (text.StartsWith("```", StringComparison.Ordinal))
            {
                inShell = !inShell && text.Trim() is "```bash" or "```sh";
                continue;
            }

            if (!inShell)
            {
                continue;
            }

            if (inHeredoc is not null)
            {
                inHeredoc = text.Trim() == inHeredoc ? null : inHeredoc;
                continue;
            }

            if (Heredoc().Match(text) is { Success: true } heredoc)
            {
                inHeredoc = heredoc.Groups[1].Value;
            }

            var code = StripComment(text).TrimEnd();
            if (pending.Length == 0)
            {
                start = i + 1;
            }

            if (code.EndsWith('\\'))
            {
                pending.Append(code[..^1]).Append(' ');
                continue;
            }

            pending.Append(code);
            var command = pending.ToString().Trim();
            pending.Clear();
            if (command.StartsWith("ddbcopy ", StringComparison.Ordinal))
            {
                yield return (start, command["ddbcopy ".Length..]);
            }
        }
    }

    private static string StripComment(string text)
    {
        var quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(text[i - 1])))
            {
                return text[..i];
            }
        }

        return text;
    }

    /// <summary>Words as a POSIX shell splits them (quotes, backslashes in double quotes; a $(command) stands for one word).</summary>
    private static string[] Split(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quote = '\0';
        var any = false;
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if (quote != '\'' && c == '$' && i + 1 < command.Length && command[i + 1] == '(')
            {
                var depth = 0;
                for (i++; i < command.Length; i++)
                {
                    depth += command[i] == '(' ? 1 : command[i] == ')' ? -1 : 0;
                    if (depth == 0)
                    {
                        break;
                    }
                }

                word.Append("2024-01-01T00:00:00Z"); // what the command would print: a date, in the README's one case
                continue;
            }

            if (quote == '"' && c == '\\' && i + 1 < command.Length)
            {
                word.Append(command[++i]);
            }
            else if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                any = true;
            }
            else if (c is '>' or '|' or '&' or ';')
            {
                break; // a redirection, a pipe or the next command: the shell's, not ddbcopy's
            }
            else if (char.IsWhiteSpace(c))
            {
                if (word.Length > 0 || any)
                {
                    words.Add(word.ToString());
                }

                word.Clear();
                any = false;
            }
            else
            {
                word.Append(c);
            }
        }

        if (word.Length > 0 || any)
        {
            words.Add(word.ToString());
        }

        return words.ToArray();
    }

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", ".."));

    [GeneratedRegex(@"<<-?\s*'?(\w+)'?")]
    private static partial Regex Heredoc();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex InlineCode();
}
