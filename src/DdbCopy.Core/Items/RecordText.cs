using System.Text.RegularExpressions;

namespace DdbCopy.Core.Items;

/// <summary>
/// A value of a record quoted in a message about it (why a row was rejected: "'abc' is not a number", the row's key) is
/// marked where the message is made, so that whatever shows the message (the reject file, the log, an error) shows the
/// value, or withholds it when the job masks values: a masked job never prints a value of the data it reads.
/// </summary>
public static partial class RecordText
{
    private const char Quoted = '\u0002';
    private const char Bare = '\u0004';
    private const char End = '\u0003';

    /// <summary>A value, shown in quotes: <c>'abc'</c>.</summary>
    public static string Value(string value) => $"{Quoted}{Clean(value)}{End}";

    /// <summary>A text that may hold values (a parser's message), shown as it is.</summary>
    public static string Detail(string text) => $"{Bare}{Clean(text)}{End}";

    /// <summary>The message with its values.</summary>
    public static string Show(string message) =>
        Marked().Replace(message, m => m.Groups["kind"].Value[0] == Quoted ? $"'{m.Groups["text"].Value}'" : m.Groups["text"].Value);

    /// <summary>The message with every value left out.</summary>
    public static string Withhold(string message) =>
        Marked().Replace(message, m => m.Groups["kind"].Value[0] == Quoted ? "(a value, withheld: --mask)" : "(details withheld: --mask)");

    /// <summary>The message, its values shown or withheld.</summary>
    public static string Render(string message, bool withhold) => withhold ? Withhold(message) : Show(message);

    private static string Clean(string text) => text.Replace(Quoted, '?').Replace(Bare, '?').Replace(End, '?');

    [GeneratedRegex("(?<kind>[\u0002\u0004])(?<text>[^\u0003]*)\u0003", RegexOptions.CultureInvariant)]
    private static partial Regex Marked();
}
