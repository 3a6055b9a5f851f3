using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Engine.Checkpoints;
using DdbCopy.Core.Sinks.Changes;
using DdbCopy.Core.Sources.MySql;
using DdbCopy.Core.Sources.MySql.Binlog;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Jobs.Importing;

/// <summary>
/// Follows one table in the binary log: reads from a position as a replica, holds each transaction's changes of the table
/// until its commit (a rolled-back one is dropped), then hands them to lanes by key, so a key's changes are applied one
/// after another in commit order while different keys are written at once, each paying the budget, retried and
/// dead-lettered as every write; a lane sends what it holds in batches of up to 25 keys. The position after the last transaction applied with all before it is this job's live
/// checkpoint part (saved every 100 ms). An ALTER TABLE reloads the columns (added ones appear as attributes); a change of
/// the key columns, or a TRUNCATE, DROP or RENAME of the table, stops with the reason at the last applied position.
/// </summary>
internal sealed class BinlogFollower(
    IBinlogClient client,
    string where,
    BinlogChanges changes,
    Func<CancellationToken, Task<BinlogTable>> reload,
    IReadOnlyList<string> keyColumns,
    ChangeBatchWriter writer,
    FollowCounters counters,
    RejectFile rejects,
    BinlogFollowSettings settings,
    TimeProvider timeProvider,
    ILogger logger) : ILiveCheckpointPart
{
    private CommitLedger<BinlogCheckpoint> _ledger = new(new BinlogCheckpoint("", 0));
    private BinlogCheckpoint _start = new("", 0);
    private long _events, _rows, _rejected;
    private volatile bool _caughtUp;
    private bool _finished;

    public string Name => MySqlCheckpoint.Binlog.Name;

    public long Version => _ledger.Version + Interlocked.Read(ref _rejected);

    public bool Finished => _finished;

    /// <summary>Follows from <paramref name="start"/> until a graceful stop, or (with --stopWhenCaughtUp) until the server has nothing newer.</summary>
    /// <returns>True when it ended caught up.</returns>
    /// <exception cref="DdbCopyException">The log cannot be read or followed (the message says why and where).</exception>
    public async Task<bool> RunAsync(BinlogCheckpoint start, StopSignals stop)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(stop);
        (_start, _events, _rows, _rejected) = (start, start.Events, start.Rows, start.Rejected);
        _ledger = new CommitLedger<BinlogCheckpoint>(start);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(stop.Hard);
        var lanes = Enumerable.Range(0, Math.Max(1, settings.Lanes))
            .Select(_ => Channel.CreateBounded<(ChangeRecord Change, long Transaction)>(new BoundedChannelOptions(256) { SingleReader = true })).ToArray();
        Exception? laneError = null;
        var writing = lanes.Select(lane => Task.Run(async () =>
        {
            try
            {
                var batch = new List<(ChangeRecord Change, long Transaction)>(DynamoDbLimits.BatchWriteItems);
                var keys = new HashSet<string>(StringComparer.Ordinal);
                while (await lane.Reader.WaitToReadAsync(abort.Token))
                {
                    // What the lane holds, up to a batch, stopping before a key's second change: a key's changes stay in order.
                    while (batch.Count < DynamoDbLimits.BatchWriteItems && lane.Reader.TryPeek(out var next) && keys.Add(ChangeRecord.KeyText(next.Change.Keys)))
                    {
                        lane.Reader.TryRead(out next);
                        batch.Add(next);
                    }

                    if (batch.Count == 0 && lane.Reader.TryRead(out var first))
                    {
                        batch.Add(first);
                    }

                    await writer.ApplyAsync(batch.ConvertAll(b => b.Change), abort.Token);
                    batch.ForEach(b => _ledger.Done(b.Transaction));
                    batch.Clear();
                    keys.Clear();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stop.Hard.IsCancellationRequested)
            {
                Interlocked.CompareExchange(ref laneError, ex, null);
                await abort.CancelAsync();
            }
        })).ToList();

        using var reading = CancellationTokenSource.CreateLinkedTokenSource(stop.Graceful, abort.Token);
        Exception? readError = null;
        try
        {
            await ReadAsync(lanes, reading.Token);
        }
        catch (OperationCanceledException) when (reading.IsCancellationRequested)
        {
            // Ctrl+C, or a lane failed: what was handed to the lanes is drained below
        }
        catch (Exception ex)
        {
            readError = ex;
        }

        foreach (var lane in lanes)
        {
            lane.Writer.TryComplete();
        }

        await Task.WhenAll(writing);
        stop.Hard.ThrowIfCancellationRequested();
        if ((laneError ?? readError) is { } failed)
        {
            throw failed as DdbCopyException ?? Failure(failed);
        }

        _finished = _caughtUp && settings.StopWhenCaughtUp;
        return _caughtUp;
    }

    public FollowSummary Summary()
    {
        var lag = _caughtUp || _ledger.AppliedCommit is not { } committed ? 0 : Math.Max(0, (timeProvider.GetUtcNow() - committed).TotalSeconds);
        return new FollowSummary(where, Interlocked.Read(ref _events), counters.Applied, 0, counters.DeadLettered, _ledger.Pending, lag, 0, true, _caughtUp)
        {
            Source = "Binary log",
            Transactions = _start.Transactions + _ledger.Transactions,
            Rows = Interlocked.Read(ref _rows),
            Position = $"{_ledger.Applied.File}:{_ledger.Applied.Offset.ToString(CultureInfo.InvariantCulture)}",
        };
    }

    (JsonElement Json, Action Saved) ILiveCheckpointPart.Snapshot() => (MySqlCheckpoint.Binlog.ToJson(Checkpoint()), () => { });

    public BinlogCheckpoint Checkpoint() => _ledger.Applied with
    {
        Events = Interlocked.Read(ref _events),
        Rows = Interlocked.Read(ref _rows),
        Transactions = _start.Transactions + _ledger.Transactions,
        Applied = counters.Applied,
        DeadLettered = counters.DeadLettered,
        Rejected = Interlocked.Read(ref _rejected),
        CaughtUp = _finished,
    };

    private async Task ReadAsync(Channel<(ChangeRecord Change, long Transaction)>[] lanes, CancellationToken cancellationToken)
    {
        var file = _start.File;
        var held = new List<ChangeRecord>();
        string? gtid = null;
        var open = false;
        await foreach (var e in client.ReadAsync(new BinlogPosition(_start.File, _start.Offset), toEnd: false, cancellationToken))
        {
            Interlocked.Increment(ref _events);
            BinlogCheckpoint After() => new(file, e.NextPosition) { Gtid = gtid };
            switch (e)
            {
                case RotateEvent rotate:
                    file = rotate.File;
                    break;
                case BeginEvent begin:
                    gtid = begin.Gtid ?? gtid;
                    if (!begin.Standalone)
                    {
                        (open, _caughtUp) = (true, false);
                        held.Clear();
                    }

                    break;
                case RowsEvent rows when rows.Table.Database == changes.Table.Database && rows.Table.Table == changes.Table.Name:
                    _caughtUp = false;
                    Hold(rows, held, $"{file}:{e.NextPosition.ToString(CultureInfo.InvariantCulture)}");
                    break;
                case CommitEvent:
                    var transaction = _ledger.Add(held.Count, After(), e.Timestamp);
                    foreach (var change in held)
                    {
                        await lanes[(int)((uint)StringComparer.Ordinal.GetHashCode(ChangeRecord.KeyText(change.Keys)) % (uint)lanes.Length)].Writer
                            .WriteAsync((change, transaction), cancellationToken);
                    }

                    held.Clear();
                    open = false;
                    break;
                case RollbackEvent:
                    held.Clear(); // only a table without transactions writes one; nothing of it is applied
                    _ledger.Add(0, After(), e.Timestamp);
                    open = false;
                    break;
                case StatementEvent statement:
                    await StatementAsync(statement, $"{file}:{e.NextPosition.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
                    if (!open)
                    {
                        _ledger.Add(0, After(), e.Timestamp);
                    }

                    break;
                case HeartbeatEvent when !open:
                    _caughtUp = true;
                    if (settings.StopWhenCaughtUp)
                    {
                        return;
                    }

                    break;
            }
        }
    }

    /// <summary>Maps the row changes of a rows event of the followed table and holds them until the commit.</summary>
    private void Hold(RowsEvent rows, List<ChangeRecord> held, string position)
    {
        List<RowImages> images;
        try
        {
            images = RowDecoder.Decode(rows, changes.Table.Columns);
        }
        catch (BinlogFormatException ex)
        {
            throw new DdbCopyException(FailureKind.CopyFailed, $"The rows of {changes.Table.Name} at {position} in the binary log of {where} cannot be read with the "
                + $"table's columns as they are now ({ex.Message}): the table was changed again since. Run the import again (a new full load).", ex);
        }

        foreach (var image in images)
        {
            Interlocked.Increment(ref _rows);
            held.AddRange(changes.Of(image, rows.Timestamp, out var problem, out var texts));
            if (problem is not null)
            {
                Interlocked.Increment(ref _rejected);
                rejects.Record(logger, $"{changes.Table.Name} (binary log {position})", 0, $"row: {problem}", RowText(texts));
            }
        }
    }

    /// <summary>DDL on the followed table: an ALTER reloads its columns (the key's must stay); anything that loses rows silently stops.</summary>
    private async Task StatementAsync(StatementEvent statement, string position, CancellationToken cancellationToken)
    {
        if (BinlogDdl.Verb(statement, changes.Table.Database, changes.Table.Name) is not { } verb)
        {
            return;
        }

        if (!verb.StartsWith("ALTER", StringComparison.Ordinal))
        {
            throw new DdbCopyException(FailureKind.CopyFailed, $"{verb.Split(' ')[0]} of {changes.Table.Name} at {position} in the binary log of {where}: "
                + "its rows go without a delete each in the log, so following cannot keep the destination equal. Run the import again (a new full load).");
        }

        var before = changes.Table;
        var after = await reload(cancellationToken);
        var lost = keyColumns.Where(k => after.Columns.All(c => c.Name != k) || after.KindOf(k) != before.KindOf(k)).ToList();
        if (lost.Count > 0)
        {
            throw new DdbCopyException(FailureKind.CopyFailed, $"ALTER TABLE {changes.Table.Name} at {position} in the binary log of {where} dropped or retyped the key "
                + $"column {string.Join(", ", lost)}: the items' keys cannot follow. Following stopped at {_ledger.Applied.File}:{_ledger.Applied.Offset}; "
                + "run the import again into a table with the new key.");
        }

        changes.Table = after;
        Log.Following(logger, $"{changes.Table.Name} was altered at {position}: its {after.Columns.Count} columns are read from now on");
    }

    private static string RowText(IReadOnlyDictionary<string, string?>? texts) =>
        JsonSerializer.Serialize(texts ?? new Dictionary<string, string?>(), BinlogFollowerJson.Default.IReadOnlyDictionaryStringString);

    private DdbCopyException Failure(Exception ex) => ex switch
    {
        BinlogServerException server => BinlogStart.Explain(server, where, new BinlogPosition(_ledger.Applied.File, _ledger.Applied.Offset)),
        BinlogFormatException format => new DdbCopyException(FailureKind.CopyFailed,
            $"The binary log of {where} cannot be followed after {_ledger.Applied.File}:{_ledger.Applied.Offset}: {format.Message}", format),
        IOException io => new DdbCopyException(FailureKind.Environment,
            $"Reading the binary log of {where} failed after {_ledger.Applied.File}:{_ledger.Applied.Offset}: {io.Message} (--resume goes on from there)", io),
        _ => new DdbCopyException(FailureKind.CopyFailed, $"Following the binary log of {where} failed: {ex.Message}", ex),
    };
}

[System.Text.Json.Serialization.JsonSerializable(typeof(IReadOnlyDictionary<string, string?>))]
internal sealed partial class BinlogFollowerJson : System.Text.Json.Serialization.JsonSerializerContext;
