using System.Globalization;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2.Model;
using MySqlConnector;

namespace DdbCopy.Core.Sources.MySql;

/// <summary>
/// How the rows are read: a query as one range in its own order; a table in ranges of its integer primary key's first
/// column (each its own query, ordered by the whole key, so a range can be continued after its last settled row), or
/// as one range ordered by its key. The split points are part of the job's identity, so a resumed run reads the same
/// ranges even when rows were added since (the first range has no lower bound, the last no upper one).
/// </summary>
public sealed partial record MySqlReadPlan(string? Table, string? Query, IReadOnlyList<string> Key, IReadOnlyList<decimal> SplitPoints,
    IReadOnlySet<string> JsonColumns)
{
    /// <summary>Rows per range when --segments is not given.</summary>
    public const long RowsPerRange = 50_000;

    public const int MaxRanges = 64;

    public int RangeCount => SplitPoints.Count + 1;

    /// <summary>True when a range can be continued from its last settled row (a table with a primary key).</summary>
    public bool Resumable => Table is not null && Key.Count > 0;

    public string Describe() =>
        Query is not null ? "query (one range; a resumed run reads it again from its start)"
        : Key.Count == 0 ? $"table {Table} (no primary key: one range; a resumed run reads it again from its start)"
        : SplitPoints.Count == 0 ? $"table {Table} in one range by its primary key ({string.Join(", ", Key)})"
        : $"table {Table} in ranges of {Key[0]} split at {string.Join(",", SplitPoints.Select(p => p.ToString(CultureInfo.InvariantCulture)))}";

    /// <summary>Plans the read of a table: ranges from its key's bounds, or the split points of the run being resumed.</summary>
    public static async Task<MySqlReadPlan> ForTableAsync(MySqlDatabase database, MySqlTable table, int? segments, string? resumedPlan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(table);
        if (resumedPlan is not null && SplitAt().Match(resumedPlan) is { Success: true } earlier)
        {
            var points = earlier.Groups[1].Value.Split(',').Select(p => decimal.Parse(p, CultureInfo.InvariantCulture)).ToList();
            return new MySqlReadPlan(table.Name, null, table.PrimaryKey, points, table.JsonColumns);
        }

        var wanted = segments ?? (int)Math.Clamp(table.RowEstimate / RowsPerRange, 1, 16);
        if (!table.IntegerKey || wanted <= 1 || await database.BoundsAsync(table.Name, table.PrimaryKey[0], cancellationToken) is not var (low, high))
        {
            return new MySqlReadPlan(table.Name, null, table.PrimaryKey, [], table.JsonColumns);
        }

        var count = (int)Math.Min(Math.Min(wanted, MaxRanges), high - low + 1);
        var step = Math.Ceiling((high - low + 1) / count);
        var split = Enumerable.Range(1, count - 1).Select(i => low + (i * step)).Where(p => p <= high).ToList();
        return new MySqlReadPlan(table.Name, null, table.PrimaryKey, split, table.JsonColumns);
    }

    /// <summary>The SELECT of range <paramref name="range"/>, after <paramref name="after"/> (the last settled row's key) when given.</summary>
    public MySqlCommand Command(MySqlConnection connection, int range, IReadOnlyDictionary<string, AttributeValue>? after)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = new MySqlCommand { Connection = connection, CommandTimeout = 0 };
        if (Query is not null)
        {
            command.CommandText = Query;
            return command;
        }

        var conditions = new List<string>();
        var first = Key.Count > 0 ? MySqlDatabase.Quote(Key[0]) : null;
        if (range > 0)
        {
            conditions.Add($"{first} >= @low");
            command.Parameters.AddWithValue("@low", SplitPoints[range - 1]);
        }

        if (range < SplitPoints.Count)
        {
            conditions.Add($"{first} < @high");
            command.Parameters.AddWithValue("@high", SplitPoints[range]);
        }

        if (after is not null && Key.Count > 0)
        {
            conditions.Add($"({string.Join(", ", Key.Select(MySqlDatabase.Quote))}) > ({string.Join(", ", Key.Select((_, i) => $"@after{i}"))})");
            for (var i = 0; i < Key.Count; i++)
            {
                var value = after[Key[i]];
                command.Parameters.AddWithValue($"@after{i}", value.N is { } n ? decimal.Parse(n, NumberStyles.Float, CultureInfo.InvariantCulture)
                    : value.B is { } b ? b.ToArray() : value.S);
            }
        }

        command.CommandText = $"SELECT * FROM {MySqlDatabase.Quote(Table!)}"
            + (conditions.Count > 0 ? " WHERE " + string.Join(" AND ", conditions) : "")
            + (Key.Count > 0 ? " ORDER BY " + string.Join(", ", Key.Select(MySqlDatabase.Quote)) : "");
        return command;
    }

    [GeneratedRegex(@"split at ([0-9.,-]+)", RegexOptions.CultureInvariant)]
    private static partial Regex SplitAt();
}
