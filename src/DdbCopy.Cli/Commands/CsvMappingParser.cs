using DdbCopy.Core.Sources;

namespace DdbCopy.Cli.Commands;

/// <summary>Turns the CSV options' text into a <see cref="CsvMapping"/>, listing every problem it finds.</summary>
internal static class CsvMappingParser
{
    public static CsvMapping Parse(string[]? columns, string[]? attributes, string? exclude, string? groupBy, string? pivot, string? delimiter,
        List<string> errors)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in columns ?? [])
        {
            var at = column.LastIndexOf(':');
            var type = at > 0 ? column[(at + 1)..].Trim().ToUpperInvariant() : "";
            if (at <= 0 || !CsvValues.Types.Contains(type))
            {
                errors.Add($"--column '{column}' is not name:TYPE with TYPE one of {string.Join(", ", CsvValues.Types)}.");
                continue;
            }

            types[column[..at].Trim()] = type;
        }

        var templates = new List<AttributeTemplate>();
        foreach (var text in attributes ?? [])
        {
            if (AttributeTemplate.TryParse(text, out var error) is { } template)
            {
                templates.Add(template);
            }
            else
            {
                errors.Add(error + ".");
            }
        }

        (string, string)? pivotColumns = null;
        if (!string.IsNullOrWhiteSpace(pivot))
        {
            var parts = pivot.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                errors.Add($"--pivot '{pivot}' is not nameColumn=valueColumn.");
            }
            else
            {
                pivotColumns = (parts[0], parts[1]);
            }
        }

        if (delimiter is { Length: 0 })
        {
            errors.Add("--delimiter must not be empty.");
        }

        return new CsvMapping
        {
            ColumnTypes = types,
            Attributes = templates,
            ExcludeColumns = List(exclude).ToHashSet(StringComparer.Ordinal),
            GroupBy = List(groupBy),
            Pivot = pivotColumns,
            Delimiter = string.IsNullOrEmpty(delimiter) ? "," : delimiter.Replace("\\t", "\t", StringComparison.Ordinal),
        };
    }

    private static List<string> List(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
}
