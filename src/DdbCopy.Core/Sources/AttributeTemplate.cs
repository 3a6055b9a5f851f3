using System.Text;
using System.Text.RegularExpressions;

namespace DdbCopy.Core.Sources;

/// <summary>
/// An attribute built from CSV columns, in the style of DMS object mapping: <c>pk=${customerid}|${orderid}</c>, or with
/// a type, <c>total:N=${amount}</c>. Text outside <c>${...}</c> is kept as it is.
/// </summary>
public sealed partial record AttributeTemplate(string Name, string Type, IReadOnlyList<string> Parts, IReadOnlyList<string> Columns)
{
    [GeneratedRegex(@"\$\{([^}]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^(?<name>[^:=]+)(:(?<type>[A-Za-z]+))?=(?<template>.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Definition();

    /// <returns>null and an error when the text is not <c>name[:TYPE]=template</c> with at least one column.</returns>
    public static AttributeTemplate? TryParse(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = null;
        var match = Definition().Match(text);
        if (!match.Success)
        {
            error = $"--attribute '{text}' is not name=template (for example pk=${{customerid}}|${{orderid}})";
            return null;
        }

        var type = match.Groups["type"].Success ? match.Groups["type"].Value.ToUpperInvariant() : "S";
        if (!CsvValues.Types.Contains(type))
        {
            error = $"--attribute '{text}': the type must be one of {string.Join(", ", CsvValues.Types)} (got {type})";
            return null;
        }

        var template = match.Groups["template"].Value;
        var parts = new List<string>();
        var columns = new List<string>();
        var last = 0;
        foreach (Match placeholder in Placeholder().Matches(template))
        {
            parts.Add(template[last..placeholder.Index]);
            columns.Add(placeholder.Groups[1].Value.Trim());
            last = placeholder.Index + placeholder.Length;
        }

        parts.Add(template[last..]);
        if (columns.Count == 0)
        {
            error = $"--attribute '{text}' uses no column: write columns as ${{name}}";
            return null;
        }

        return new AttributeTemplate(match.Groups["name"].Value.Trim(), type, parts, columns);
    }

    /// <summary>The attribute's text for one row; null and an error when a column it uses is empty.</summary>
    public string? Render(Func<string, string?> column, out string? error)
    {
        ArgumentNullException.ThrowIfNull(column);
        error = null;
        var text = new StringBuilder(Parts[0]);
        for (var i = 0; i < Columns.Count; i++)
        {
            var value = column(Columns[i]);
            if (string.IsNullOrEmpty(value))
            {
                error = $"column '{Columns[i]}' is empty, and attribute '{Name}' is made from it";
                return null;
            }

            text.Append(value).Append(Parts[i + 1]);
        }

        return text.ToString();
    }
}
