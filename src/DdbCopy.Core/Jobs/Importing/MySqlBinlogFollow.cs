using System.Globalization;
using Amazon.DynamoDBv2;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Engine.Checkpoints;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Sources;
using DdbCopy.Core.Sources.MySql;
using DdbCopy.Core.Sources.MySql.Binlog;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Jobs.Importing;

/// <summary>
/// --follow --binlog for an import from MySQL: the position is taken (and every check made) before the full load starts,
/// so what changes during the load is in the log after it; once the load is done its changes are applied from there by a
/// <see cref="BinlogFollower"/> with the import's budget, retries, dead letters and rejects. Replaying changes the load
/// already saw converges: each row image is the whole row, applied in commit order per key.
/// </summary>
internal static class MySqlBinlogFollow
{
    public static IBinlogClient Client(MySqlDatabase database, BinlogFollowSettings binlog) => new BinlogClient(database.BinlogOptions(), binlog.ServerId);

    /// <summary>Checks the server and gives where to follow from: an earlier run's position (still in the log), else the log's end now.</summary>
    public static async Task<BinlogCheckpoint> StartAsync(MySqlDatabase database, BinlogFollowSettings binlog, BinlogCheckpoint? earlier, CancellationToken cancellationToken)
    {
        var position = await BinlogStart.CheckAsync(database, Client(database, binlog), binlog.ServerId,
            earlier is null ? null : new BinlogPosition(earlier.File, earlier.Offset), cancellationToken);
        return earlier ?? new BinlogCheckpoint(position.File, position.Offset);
    }

    /// <summary>After the full load: follows until Ctrl+C or --stopWhenCaughtUp; the load's summary with what following came to.</summary>
    public static async Task<TransferSummary> RunAsync(ImportSettings settings, MySqlReadSettings read, BinlogFollowSettings binlog, MySqlDatabase database,
        MySqlTable table, IAmazonDynamoDB client, IReadOnlyList<KeyAttribute> destinationKey, DeadLetterFile deadLetters, RejectFile rejects,
        JobCheckpoint checkpoint, BinlogCheckpoint start, TransferSummary loaded, IProgressObserver? observer, TimeProvider timeProvider, ILogger logger,
        StopSignals stop)
    {
        var where = $"{database.Location}";
        Log.Following(logger, string.Create(CultureInfo.InvariantCulture,
            $"{where}: the binary log from {start.File}:{start.Offset} on, table {table.Name}, as replica {binlog.ServerId}"));
        var counters = new FollowCounters(start.Applied, 0, start.DeadLettered);
        using var changeWriter = await ImportChangeWriter.OpenAsync(settings, client, deadLetters, counters, timeProvider, logger, stop.Hard);
        var writer = changeWriter.Batches;
        var numbers = settings.Csv.ColumnTypes.Keys.ToHashSet(StringComparer.Ordinal);
        Task<BinlogTable> Load(CancellationToken cancellationToken) => BinlogTable.LoadAsync(database, table.Name, table.JsonColumns, numbers, cancellationToken);
        var changes = new BinlogChanges(await Load(stop.Hard), new RowMapping(settings.Csv), settings.Shape, ImportRunner.InputKey(settings, destinationKey), read.KeepNulls);
        var follower = new BinlogFollower(new BinlogClient(database.BinlogOptions(), binlog.ServerId) { Only = (database.Location.Database, table.Name) }, where, changes, Load, table.PrimaryKey, writer, counters, rejects, binlog, timeProvider, logger);
        checkpoint.Live = follower;
        using var progress = observer is null
            ? null
            : timeProvider.CreateTimer(_ => observer.Progress(loaded with { Follow = follower.Summary() }), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        using var saverStop = new CancellationTokenSource();
        var saver = checkpoint.RunSaverAsync(saverStop.Token);
        string? error = null;
        var caughtUp = false;
        try
        {
            caughtUp = await follower.RunAsync(start, stop);
        }
        catch (DdbCopyException ex)
        {
            error = ex.Message;
            Log.Fatal(logger, error);
        }
        finally
        {
            await saverStop.CancelAsync();
            await saver;
        }

        checkpoint.SaveLast(failed: error is not null, stopped: !caughtUp);
        var followed = follower.Summary();
        Log.Follow(logger, string.Create(CultureInfo.InvariantCulture,
            $"Binary log: {followed.StreamRecords} events read, {followed.Rows} rows of {table.Name}, {followed.Transactions} transactions, {followed.Applied} changes applied, "
            + $"{followed.DeadLettered} dead-lettered; at {followed.Position}"));
        return loaded with
        {
            Follow = followed,
            Rejected = loaded.Rejected + follower.Checkpoint().Rejected - start.Rejected,
            DeadLetterFile = deadLetters.Count > 0 ? deadLetters.Path : loaded.DeadLetterFile,
            Interrupted = false,
            Error = error ?? loaded.Error,
        };
    }
}
