using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Engine.Checkpoints;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Schema;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace DdbCopy.Core.Sources.MySql;

/// <summary>
/// Reads the rows of a <see cref="MySqlReadPlan"/>, its ranges in parallel (each one streamed row by row on its own
/// connection: memory stays flat however big the table), maps them to items (<see cref="RowMapping"/>: types, templates,
/// groups, pivots) and queues them. A row that cannot be an item (a bad value, an empty key, over 400 KB, a template that
/// fails) is logged and recorded in the reject file with its table, primary key and reason. With a checkpoint, every
/// run of queued items is a ticket that ends at the key of its last row (after a whole group), so a range continues
/// after a crash from its last settled row.
/// </summary>
public sealed partial class MySqlRowSource(
    MySqlDatabase database,
    MySqlReadPlan plan,
    RowMapping mapping,
    IReadOnlyList<KeyAttribute> itemKey,
    RejectFile rejects,
    bool keepNulls,
    bool failFast,
    ILogger logger) : IItemSource
{
    /// <summary>
    /// A column whose rows are soft-deleted where it is true (not 0, not NULL): such rows are left out (counted as
    /// filtered), so an item deleted at the source before the load never appears in the destination.
    /// </summary>
    public string? DeletedColumn { get; init; }

    private const int RowsPerTicket = 1000;
    private const int ParallelRanges = 4;

    public async Task<bool> ProduceAsync(SourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return await ParallelLanes.RunAsync(Enumerable.Range(0, plan.RangeCount), ParallelRanges, context.Stop, context.Abort,
            (range, stop) => ReadRangeAsync(range, context with { Stop = stop }));
    }

    private async Task<bool> ReadRangeAsync(int range, SourceContext context)
    {
        var position = context.Ledger?.PositionOf(range);
        if (position is { Done: true })
        {
            return true; // settled by an earlier run
        }

        var after = plan.Resumable ? position?.LastKey : null;
        // Without a key to continue from, a range continues after the number of rows an earlier run settled.
        var skip = !plan.Resumable && position?.LastKey?.GetValueOrDefault(Lane.RowCount)?.N is { } rows ? long.Parse(rows, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var lane = new Lane(range);
        try
        {
            await using var connection = await database.OpenAsync(context.Abort);
            await using var command = plan.Command(connection, range, after);
            await using var reader = await command.ExecuteReaderAsync(context.Abort);
            var columns = Columns(reader);
            var names = columns.Select(c => c.Name).ToList();
            while (await reader.ReadAsync(context.Abort))
            {
                if (context.Stop.IsCancellationRequested)
                {
                    await FlushAsync(lane, context, done: false);
                    command.Cancel(); // the rest of the result is not read
                    return false;
                }

                if (lane.Row < skip)
                {
                    lane.Row++;
                    continue; // settled by an earlier run
                }

                await ReadRowAsync(reader, columns, names, lane, context);
            }

            await FinishGroupAsync(lane, context);
            await FlushAsync(lane, context, done: true);
            return true;
        }
        catch (Exception ex) when (ex is MySqlException or FormatException or InvalidCastException or IOException)
        {
            throw new DdbCopyException(FailureKind.CopyFailed, $"Reading {What(range)} from {database.Location} failed: {ex.Message}", ex);
        }
    }

    private async Task ReadRowAsync(MySqlDataReader reader, IReadOnlyList<(string Name, MySqlValues.Kind Kind)> columns, List<string> names, Lane lane,
        SourceContext context)
    {
        lane.Row++;
        var (values, texts, problem) = ReadValues(reader, columns);

        if (DeletedColumn is { } deleted && IsTrue(values.GetValueOrDefault(deleted)))
        {
            lane.Filtered++;
            if (lane.Group is null)
            {
                lane.Advance(plan.Key.Count > 0
                    ? plan.Key.ToDictionary(k => k, k => values.GetValueOrDefault(k) ?? new AttributeValue { NULL = true }, StringComparer.Ordinal)
                    : new Dictionary<string, AttributeValue> { [Lane.RowCount] = new() { N = lane.Row.ToString(System.Globalization.CultureInfo.InvariantCulture) } });
                if (lane.Items.Count + lane.Rejected + lane.Filtered >= RowsPerTicket)
                {
                    await FlushAsync(lane, context, done: false);
                }
            }

            return;
        }

        var rowKey = plan.Key.Count > 0
            ? plan.Key.ToDictionary(k => k, k => values.GetValueOrDefault(k) ?? new AttributeValue { NULL = true }, StringComparer.Ordinal)
            : new Dictionary<string, AttributeValue> { [Lane.RowCount] = new() { N = lane.Row.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        var item = problem is null ? mapping.ToItem(names, c => texts.GetValueOrDefault(c), c => values.GetValueOrDefault(c), out problem) : null;
        if (item is null)
        {
            await RejectAsync(lane, context, rowKey, texts, problem!);
            AdvancePastReject(lane, rowKey);
            return;
        }

        if (mapping.Mapping.GroupBy.Count == 0)
        {
            await AddAsync(lane, context, item, rowKey, texts);
            return;
        }

        var group = mapping.GroupKey(item, out problem);
        if (group is null)
        {
            await RejectAsync(lane, context, rowKey, texts, problem!);
            AdvancePastReject(lane, rowKey);
            return;
        }

        if (lane.Group is { } open && open.Key == group)
        {
            RowMapping.Merge(open.Item, item);
            open.LastKey = rowKey;
            return;
        }

        await FinishGroupAsync(lane, context);
        lane.Group = new OpenGroup(group, item, rowKey, rowKey, texts);
    }

    /// <summary>
    /// The items of the first <paramref name="rows"/> rows of <paramref name="from"/> (a table, or a query as a derived
    /// table), each row alone (no groups), leaving out rows that cannot be items: for the checks made before anything is written.
    /// </summary>
    public async Task<List<Dictionary<string, AttributeValue>>> SampleAsync(string from, int rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        var items = new List<Dictionary<string, AttributeValue>>(rows);
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = new MySqlCommand(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"SELECT * FROM {from} LIMIT {rows}"), connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var columns = Columns(reader);
            var names = columns.Select(c => c.Name).ToList();
            while (await reader.ReadAsync(cancellationToken))
            {
                var (values, texts, problem) = ReadValues(reader, columns);
                if (problem is null && mapping.ToItem(names, c => texts.GetValueOrDefault(c), c => values.GetValueOrDefault(c), out _) is { } item)
                {
                    items.Add(item);
                }
            }
        }
        catch (MySqlException ex)
        {
            throw new DdbCopyException(FailureKind.CopyFailed, $"Reading the first rows from {database.Location} failed: {ex.Message}", ex);
        }

        return items;
    }

    /// <summary>The current row's values (typed) and texts; the first column that cannot be a value, in <c>Problem</c>.</summary>
    private (Dictionary<string, AttributeValue?> Values, Dictionary<string, string?> Texts, string? Problem) ReadValues(MySqlDataReader reader,
        IReadOnlyList<(string Name, MySqlValues.Kind Kind)> columns)
    {
        var values = new Dictionary<string, AttributeValue?>(columns.Count, StringComparer.Ordinal);
        var texts = new Dictionary<string, string?>(columns.Count, StringComparer.Ordinal);
        string? problem = null;
        for (var i = 0; i < columns.Count; i++)
        {
            try
            {
                (values[columns[i].Name], texts[columns[i].Name]) = MySqlValues.Read(reader, i, columns[i].Kind, keepNulls);
            }
            catch (FormatException ex)
            {
                problem ??= $"column '{columns[i].Name}': {Items.RecordText.Detail(ex.Message)}";
                texts[columns[i].Name] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return (values, texts, problem);
    }

    /// <summary>A rejected row settles with the rows before it, unless a group is open (its rows are not queued yet).</summary>
    private static void AdvancePastReject(Lane lane, Dictionary<string, AttributeValue> rowKey)
    {
        if (lane.Group is null)
        {
            lane.Advance(rowKey);
        }
    }

    private async Task FinishGroupAsync(Lane lane, SourceContext context)
    {
        if (lane.Group is { } group)
        {
            lane.Group = null;
            await AddAsync(lane, context, group.Item, group.LastKey, group.FirstTexts, group.FirstKey);
        }
    }

    /// <summary>Adds a finished item (a row, or a whole group) to the lane's pending ticket, or rejects it.</summary>
    private async Task AddAsync(Lane lane, SourceContext context, Dictionary<string, AttributeValue> item, Dictionary<string, AttributeValue> lastKey,
        IReadOnlyDictionary<string, string?> texts, Dictionary<string, AttributeValue>? firstKey = null)
    {
        if (ItemKeyCheck.Problem(item, itemKey) is { } problem)
        {
            await RejectAsync(lane, context, firstKey ?? lastKey, texts, problem);
        }
        else
        {
            lane.Items.Add(item);
            lane.Origins.Add(new ItemOrigin(rejects.Render($"{What(lane.Range)} ({KeyText(firstKey ?? lastKey)})"), lane.Row));
        }

        lane.Advance(lastKey);
        if (lane.Items.Count + lane.Rejected + lane.Filtered >= RowsPerTicket)
        {
            await FlushAsync(lane, context, done: false);
        }
    }

    private async Task RejectAsync(Lane lane, SourceContext context, Dictionary<string, AttributeValue> key, IReadOnlyDictionary<string, string?> texts, string reason)
    {
        var where = plan.Table ?? "query";
        var why = $"row ({KeyText(key)}): {reason}";
        context.Counters.AddRejected(1);
        lane.Rejected++;
        rejects.Record(logger, where, lane.Row, why, RowJson(texts));
        if (failFast)
        {
            await FlushAsync(lane, context, done: false);
            throw new DdbCopyException(FailureKind.CopyFailed, $"{where}: {rejects.Render(why)} (stopped by --failFast).");
        }
    }

    /// <summary>Queues the lane's pending items as one ticket that ends after the last row they (and the rejected rows) came from.</summary>
    private static async Task FlushAsync(Lane lane, SourceContext context, bool done)
    {
        var position = done ? LanePosition.AfterPage(lane.Range, null) : new LanePosition(lane.Range, LastKey: lane.Settled);
        await TicketedQueue.QueueAsync(context, position, lane.Items, lane.Origins, lane.Rejected, lane.Filtered);
        (lane.Rejected, lane.Filtered) = (0, 0);
    }

    /// <summary>True for a soft-delete column's value that marks a deleted row: not NULL, not 0, not false, not empty.</summary>
    private static bool IsTrue(AttributeValue? value) => value switch
    {
        null => false,
        { NULL: true } => false,
        { BOOL: { } flag } => flag,
        { N: { } number } => decimal.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) && n != 0,
        { S: { } text } => text.Length > 0 && text != "0",
        _ => true,
    };

    private List<(string Name, MySqlValues.Kind Kind)> Columns(MySqlDataReader reader) =>
        reader.GetColumnSchema().Cast<MySqlDbColumn>()
            .Select(c => (c.ColumnName, MySqlValues.KindOf(c.ProviderType, c.ColumnSize, plan.JsonColumns.Contains(c.ColumnName))))
            // A --column type reads a TINYINT(1) as the number it holds (its text), not as a boolean.
            .Select(c => c.Item2 == MySqlValues.Kind.Bool && mapping.Mapping.ColumnTypes.ContainsKey(c.ColumnName) ? (c.ColumnName, MySqlValues.Kind.Integer) : c)
            .ToList();

    private string What(int range) => plan.Table is null ? "the query" : plan.RangeCount == 1 ? $"table {plan.Table}" : $"table {plan.Table} (range {range + 1} of {plan.RangeCount})";
}
