using System.Text;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Sources;

/// <summary>
/// Turns one row (a CSV record, a database row) into an item with the mapping's flags: every column that is not
/// excluded, typed; the --attribute templates; the --pivot; and the --groupBy key of the item. A row's columns come as
/// text (for templates, and for --column types) and, from a database, already typed.
/// </summary>
public sealed class RowMapping(CsvMapping mapping)
{
    public CsvMapping Mapping => mapping;

    /// <param name="text">A column's value as text; null or empty when it has none.</param>
    /// <param name="typed">A column's value as the source typed it (a database's), used unless --column names a type; null for CSV.</param>
    /// <returns>The item, or null with the reason in <paramref name="error"/>.</returns>
    public Dictionary<string, AttributeValue>? ToItem(IEnumerable<string> columns, Func<string, string?> text, Func<string, AttributeValue?>? typed,
        out string? error)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(text);
        error = null;
        var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        var pivot = mapping.Pivot;
        foreach (var column in columns)
        {
            if (mapping.ExcludeColumns.Contains(column) || (pivot is var (n, v) && (column == n || column == v)))
            {
                continue;
            }

            var value = Value(column, text, typed, out error);
            if (error is not null)
            {
                return null;
            }

            if (value is not null)
            {
                item[column] = value;
            }
        }

        foreach (var attribute in mapping.Attributes)
        {
            var rendered = attribute.Render(text, out error);
            var value = rendered is null ? null : CsvValues.Convert(rendered, attribute.Type, out error);
            if (value is null)
            {
                error = rendered is null ? error : $"attribute '{attribute.Name}': {error}";
                return null;
            }

            item[attribute.Name] = value;
        }

        if (pivot is var (nameColumn, valueColumn))
        {
            var name = text(nameColumn);
            if (string.IsNullOrEmpty(name))
            {
                error = $"column '{nameColumn}' (the pivot's attribute name) is empty";
                return null;
            }

            var value = Value(valueColumn, text, typed, out error);
            if (error is not null)
            {
                return null;
            }

            if (value is not null)
            {
                item[name] = value;
            }
        }

        return item;
    }

    /// <summary>The --groupBy key of an item (its values joined), or null with the reason.</summary>
    public string? GroupKey(Dictionary<string, AttributeValue> item, out string? error)
    {
        ArgumentNullException.ThrowIfNull(item);
        error = null;
        var key = new StringBuilder();
        foreach (var name in mapping.GroupBy)
        {
            if (!item.TryGetValue(name, out var value) || (value.S ?? value.N) is not { } text)
            {
                error = $"attribute '{name}' (of --groupBy) is missing or not a string or number";
                return null;
            }

            key.Append(text).Append('\u001f');
        }

        return key.ToString();
    }

    /// <summary>Adds the attributes of a later row of the same group (what the first row set stays).</summary>
    public static void Merge(Dictionary<string, AttributeValue> group, Dictionary<string, AttributeValue> row)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(row);
        foreach (var (name, value) in row)
        {
            group.TryAdd(name, value);
        }
    }

    /// <summary>A column's value: its --column type applied to its text, else the source's own type, else a string.</summary>
    private AttributeValue? Value(string column, Func<string, string?> text, Func<string, AttributeValue?>? typed, out string? error)
    {
        error = null;
        if (typed is not null && !mapping.ColumnTypes.ContainsKey(column))
        {
            return typed(column);
        }

        var raw = text(column);
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        var value = CsvValues.Convert(raw, mapping.TypeOf(column), out var why);
        if (value is null)
        {
            error = $"column '{column}': {why}";
        }

        return value;
    }
}
