using System.Text;
using System.Text.RegularExpressions;
using DdbCopy.Cli.Commands;

namespace DdbCopy.Tests.Cli;

/// <summary>
/// Every ddbcopy command in the README's shell blocks is parsed and validated by the real command model, so an example
/// cannot name a flag that is gone, misspell one, or combine flags the tool refuses. (The blocks that can run here, the
/// MySQL migration among them, are run for real by the integration tests.)
/// </summary>
public sealed partial class ReadmeCommandTests
{
    public static TheoryData<int, string> Commands()
    {
        var data = new TheoryData<int, string>();
        foreach (var (line, command) in ReadmeCommands(File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"))))
        {
            data.Add(line, command);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void EveryDdbcopyCommandInTheReadme_IsOneTheToolTakes(int line, string command)
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

            Assert.True(parse.Errors.Count == 0, $"README.md line {line}: {command}\n" + string.Join("\n", parse.Errors.Select(e => e.Message)));
        }
        finally
        {
            File.Delete(key);
        }
    }

    [Fact]
    public void TheReadme_HasDdbcopyCommandsToCheck() => Assert.True(ReadmeCommands(File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"))).Count() > 25);

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
}
