using System.Globalization;
using DdbCopy.Core.Engine.Checkpoints;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Sources.MySql;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace DdbCopy.Core.Jobs.Importing;

/// <summary>
/// --follow for a database: after the full load, polls for rows whose incremental column is at or above the high-water
/// mark (less an overlap window, for transactions that commit late and rows that share the mark's value), writes them
/// with the import's budget, retries and dead letters (writing a row again changes nothing), deletes the items of rows
/// whose soft-delete column is true, and moves the mark to the largest value the poll saw (taken before its rows are
/// read, so a row written meanwhile is read again next time rather than missed). The mark is in the checkpoint after
/// every poll; it was first taken before the full load started, so changes made during the load are polled too.
/// Rows deleted for good cannot be seen this way (the README says so).
/// </summary>
internal sealed class MySqlFollower(
    MySqlDatabase database,
    string from,
    MySqlFollowSettings follow,
    IReadOnlySet<string> jsonColumns,
    Func<MySqlReadPlan, StopSignals, Task<TransferSummary>> writeAsync,
    Func<MySqlReadPlan, TransferCounters, CancellationToken, Task> deleteAsync,
    TimeProvider timeProvider,
    ILogger logger)
{
    private long _rows;
    private long _applied;
    private long _deadLettered;
    private bool _caughtUp;
    private double _lag;

    /// <summary>The mark to start from: the column's largest value now (null when it has none).</summary>
    public static async Task<IncrementalCheckpoint> TakeMarkAsync(MySqlDatabase database, string from, string column, CancellationToken cancellationToken)
    {
        var (mark, isTime) = await MaxAsync(database, from, column, null, cancellationToken);
        return new IncrementalCheckpoint(column, mark, isTime);
    }

    /// <summary>Polls until a graceful stop, or (with --stopWhenCaughtUp) until a poll finds nothing newer than the mark.</summary>
    public async Task<FollowSummary> RunAsync(IncrementalCheckpoint start, JobCheckpoint checkpoint, StopSignals stop)
    {
        var state = start;
        (_rows, _applied, _deadLettered) = (start.Rows, start.Applied, start.DeadLettered);
        while (!stop.Graceful.IsCancellationRequested && !stop.Hard.IsCancellationRequested)
        {
            var where = Changed(state);
            var (next, _) = await MaxAsync(database, from, follow.IncrementalColumn, where, stop.Hard);
            _caughtUp = next is null || (state.Mark is not null && Compare(next, state.Mark, state.IsTime) <= 0);
            if (next is not null)
            {
                await PollAsync(where, stop, announce: !_caughtUp);
            }

            state = state with
            {
                Mark = next is not null && (state.Mark is null || Compare(next, state.Mark, state.IsTime) > 0) ? next : state.Mark,
                Polls = state.Polls + 1,
                Rows = _rows,
                Applied = _applied,
                DeadLettered = _deadLettered,
            };
            MySqlCheckpoint.Incremental.Record(checkpoint, state);
            _lag = state.IsTime && state.Mark is not null
                ? Math.Max(0, (timeProvider.GetUtcNow().UtcDateTime - DateTime.Parse(state.Mark, CultureInfo.InvariantCulture)).TotalSeconds)
                : 0;
            if (_caughtUp)
            {
                _lag = 0;
                if (follow.StopWhenCaughtUp)
                {
                    break;
                }
            }

            try
            {
                await Task.Delay(follow.PollInterval, timeProvider, stop.Graceful);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return Summary();
    }

    public FollowSummary Summary() => new($"{database.Location} ({follow.IncrementalColumn})", Interlocked.Read(ref _rows), Interlocked.Read(ref _applied), 0,
        Interlocked.Read(ref _deadLettered), 0, _lag, 0, false, _caughtUp) { Source = "Changes polled" };

    /// <summary>Writes the changed rows, then deletes the items of soft-deleted ones.</summary>
    /// <param name="announce">Log what the poll wrote (it found rows newer than the mark, not only the overlap again).</param>
    private async Task PollAsync(string where, StopSignals stop, bool announce)
    {
        var column = MySqlDatabase.Quote(follow.IncrementalColumn);
        var deleted = follow.DeletedColumn is { } d ? $"COALESCE({MySqlDatabase.Quote(d)}, 0) <> 0" : null;
        var puts = await writeAsync(Plan($"SELECT * FROM {from} WHERE {where}{(deleted is null ? "" : $" AND NOT ({deleted})")} ORDER BY {column}"), stop);
        Interlocked.Add(ref _rows, puts.Scanned + puts.Rejected);
        Interlocked.Add(ref _applied, puts.Written);
        Interlocked.Add(ref _deadLettered, puts.DeadLettered + puts.Rejected);
        if (puts.Error is { } error)
        {
            throw new DdbCopyException(FailureKind.CopyFailed, $"Following {database.Location}: {error}");
        }

        if (deleted is not null)
        {
            var counters = new TransferCounters();
            await deleteAsync(Plan($"SELECT * FROM {from} WHERE {where} AND {deleted} ORDER BY {column}"), counters, stop.Hard);
            Interlocked.Add(ref _rows, counters.Scanned + counters.Rejected);
            Interlocked.Add(ref _applied, counters.Written);
            Interlocked.Add(ref _deadLettered, counters.DeadLettered + counters.Rejected);
        }

        if (announce)
        {
            Log.Following(logger, string.Create(CultureInfo.InvariantCulture,
                $"{puts.Written} changed rows written by this poll (the overlap window's included), {_applied} changes applied so far"));
        }
    }

    private MySqlReadPlan Plan(string sql) => new(null, sql, [], [], jsonColumns);

    /// <summary>The condition of rows changed since the mark: at or above it, less the overlap for a time.</summary>
    private string Changed(IncrementalCheckpoint state)
    {
        var column = MySqlDatabase.Quote(follow.IncrementalColumn);
        if (state.Mark is null)
        {
            return $"{column} IS NOT NULL";
        }

        return state.IsTime
            ? string.Create(CultureInfo.InvariantCulture, $"{column} >= TIMESTAMP '{state.Mark}' - INTERVAL {(long)follow.Overlap.TotalMicroseconds} MICROSECOND")
            : $"{column} >= {state.Mark}";
    }

    private static async Task<(string? Mark, bool IsTime)> MaxAsync(MySqlDatabase database, string from, string column, string? where, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            await using var command = new MySqlCommand($"SELECT MAX({MySqlDatabase.Quote(column)}) FROM {from}{(where is null ? "" : $" WHERE {where}")}", connection);
            var value = await command.ExecuteScalarAsync(cancellationToken);
            return value switch
            {
                null or DBNull => (null, false),
                DateTime time => (time.ToString("yyyy'-'MM'-'dd HH':'mm':'ss.ffffff", CultureInfo.InvariantCulture), true),
                MySqlDateTime { IsValidDateTime: true } time => (time.GetDateTime().ToString("yyyy'-'MM'-'dd HH':'mm':'ss.ffffff", CultureInfo.InvariantCulture), true),
                IFormattable number when value is not MySqlDateTime => (number.ToString(null, CultureInfo.InvariantCulture), false),
                _ => throw new DdbCopyException(FailureKind.Usage, $"--incrementalColumn {column}: its values are neither numbers nor timestamps ({value.GetType().Name})."),
            };
        }
        catch (MySqlException ex)
        {
            throw new DdbCopyException(FailureKind.CopyFailed, $"Polling {database.Location} for changes failed: {ex.Message}", ex);
        }
    }

    private static int Compare(string a, string b, bool isTime) =>
        isTime ? string.CompareOrdinal(a, b) : decimal.Parse(a, CultureInfo.InvariantCulture).CompareTo(decimal.Parse(b, CultureInfo.InvariantCulture));
}
