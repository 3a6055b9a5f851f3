namespace DdbCopy.Core.Sources;

/// <summary>
/// How CSV rows become items. Every column becomes an attribute of its name (S unless <see cref="ColumnTypes"/> says
/// otherwise; empty cells are left out), except <see cref="ExcludeColumns"/> and the pivot's columns;
/// <see cref="Attributes"/> add attributes built from templates. With <see cref="GroupBy"/>, consecutive rows with the
/// same values of those attributes become one item; with <see cref="Pivot"/>, each row adds one attribute named by
/// the value of one column, holding the value of another (the classic MySQL-to-DynamoDB migration).
/// </summary>
public sealed record CsvMapping
{
    /// <summary>Column name to type (S, N, BOOL, B).</summary>
    public IReadOnlyDictionary<string, string> ColumnTypes { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyList<AttributeTemplate> Attributes { get; init; } = [];

    public IReadOnlySet<string> ExcludeColumns { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Attribute names whose values identify a group of rows.</summary>
    public IReadOnlyList<string> GroupBy { get; init; } = [];

    /// <summary>The column whose value names the attribute, and the column whose value it holds.</summary>
    public (string NameColumn, string ValueColumn)? Pivot { get; init; }

    public string Delimiter { get; init; } = ",";

    /// <summary>
    /// The mapping in one line, the same for the same flags (a checkpoint's job identity: a resumed import must map the
    /// rows the way the run it continues did).
    /// </summary>
    public string Describe()
    {
        var types = string.Join(",", ColumnTypes.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}:{t.Value}"));
        var attributes = string.Join(",", Attributes.Select(a => $"{a.Name}:{a.Type}={string.Join("", a.Parts)}"));
        var pivot = Pivot is { } p ? $"{p.NameColumn}={p.ValueColumn}" : "";
        return $"columns [{types}] attributes [{attributes}] exclude [{string.Join(",", ExcludeColumns.Order(StringComparer.Ordinal))}] "
            + $"groupBy [{string.Join(",", GroupBy)}] pivot [{pivot}] delimiter [{Delimiter}]";
    }

    public string TypeOf(string column) => ColumnTypes.TryGetValue(column, out var type) ? type : "S";

    /// <summary>Every column the mapping names, with the option that names it, to check against a file's header.</summary>
    public IEnumerable<(string Column, string Option)> NamedColumns()
    {
        foreach (var column in ColumnTypes.Keys)
        {
            yield return (column, "--column");
        }

        foreach (var attribute in Attributes)
        {
            foreach (var column in attribute.Columns)
            {
                yield return (column, $"--attribute {attribute.Name}");
            }
        }

        foreach (var column in ExcludeColumns)
        {
            yield return (column, "--excludeColumns");
        }

        if (Pivot is var (name, value))
        {
            yield return (name, "--pivot");
            yield return (value, "--pivot");
        }
    }
}
