using System.CommandLine;

namespace DdbCopy.Cli.Commands;

/// <summary>
/// "Did you mean": for a word the parser did not know, the closest names the command knows (its options in both
/// spellings, the root's commands). Written by hand: System.CommandLine 2.0 dropped its typo corrections
/// (UseTypoCorrections was part of the builder API it removed).
/// </summary>
internal static class TypoSuggestions
{
    /// <summary>The parse's error messages, each unknown word's with the closest known names added.</summary>
    public static IReadOnlyList<string> Explain(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var known = KnownNames(parse.CommandResult.Command).ToList();
        var messages = new List<string>();
        foreach (var error in parse.Errors)
        {
            var token = parse.UnmatchedTokens.FirstOrDefault(t => error.Message.Contains($"'{t}'", StringComparison.Ordinal));
            var closest = token is null ? [] : Closest(token, known);
            messages.Add(closest.Count == 0 ? error.Message
                : $"{error.Message.TrimEnd('.')}. Did you mean {string.Join(" or ", closest)}?");
        }

        return messages;
    }

    /// <summary>At most three names near <paramref name="token"/>, nearest first; none when nothing is near.</summary>
    public static IReadOnlyList<string> Closest(string token, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(token);
        var word = Plain(token);
        if (word.Length == 0)
        {
            return [];
        }

        var most = Math.Clamp(word.Length / 3, 1, 3);
        return names
            .Select(name => (Name: name, Distance: Distance(word, Plain(name)), Spelling: Distance(token.ToLowerInvariant(), name.ToLowerInvariant())))
            .Where(c => c.Distance <= most && c.Distance < word.Length)
            .GroupBy(c => Plain(c.Name)) // one option's two spellings: the one written more like the token
            .Select(g => g.OrderBy(c => c.Spelling).ThenBy(c => c.Name, StringComparer.Ordinal).First())
            .OrderBy(c => c.Distance).ThenBy(c => c.Spelling).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(3)
            .Select(c => c.Name)
            .ToList();
    }

    /// <summary>Lower case, without dashes: --source-table, --sourceTable and sourcetable are the same word.</summary>
    private static string Plain(string name) => name.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>Edits (insert, delete, replace, swap two neighbours) from one word to the other (optimal string alignment).</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    /// <summary>Every spelling of the options the command takes (<see cref="OptionGroups.Of"/>), and its commands (the root's, for the root).</summary>
    private static IEnumerable<string> KnownNames(Command command) =>
        OptionGroups.Of(command).SelectMany(g => g.Options).SelectMany(o => o.Aliases.Prepend(o.Name))
            .Concat(command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
}
