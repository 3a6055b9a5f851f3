using DdbCopy.Core.Aws;
using DdbCopy.Core.Engine.Checkpoints;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Shaping;
using DdbCopy.Core.Sinks.Changes;
using DdbCopy.Core.Sources.MySql;
using DdbCopy.Core.Sources;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace DdbCopy.Core.Jobs.Importing;

/// <summary>
/// `ddbcopy import --from mysql://...`: checks the database, the query or table and the mapping, and the destination,
/// before anything is written; reads the rows in ranges into the destination with the import's budget, retries, dead
/// letters, rejects and checkpoint; then, with --follow, polls for changed rows.
/// </summary>
public sealed class MySqlImportRunner(ImportRunner import, ILoggerFactory loggerFactory, TimeProvider timeProvider)
{
    public async Task<TransferSummary> RunAsync(ImportSettings settings, MySqlLocation location, IProgressObserver? observer, StopSignals stop)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(stop);
        var read = settings.MySql ?? throw new DdbCopyException(FailureKind.Usage, "--from mysql://... needs --sourceTableName or --query.");
        var logger = loggerFactory.CreateLogger("ddbcopy");
        using var beforeWriting = CancellationTokenSource.CreateLinkedTokenSource(stop.Graceful, stop.Hard);
        var database = new MySqlDatabase(location, read.Password);
        var table = read.Table is { } name ? await database.DescribeAsync(name, beforeWriting.Token) : null;
        var columns = table?.Columns ?? await QueryColumnsAsync(database, read.Query!, beforeWriting.Token);
        CheckMapping(settings, read, columns);

        var sourceName = $"{location.Database}.{read.Table ?? "query"}";
        await using var files = JobFiles.Open(
            settings.CheckpointFile ?? CheckpointFile.DefaultPath("import", CheckpointFile.NameOf(sourceName), settings.DestinationTable),
            settings.Resume, settings.Write.DeadLetterFile, settings.RejectFile, settings.DestinationTable, settings.Shape.MaskPaths.Count > 0, timeProvider);
        var (checkpointPath, recordedBefore, deadLetters, rejects) = (files.CheckpointPath, files.Recorded, files.DeadLetters, files.Rejects);
        deadLetters.CheckWritable();
        rejects.CheckWritable();

        var (client, destinationSide, existing) = await import.OpenDestinationAsync(settings, logger, beforeWriting.Token);
        using var clientOwner = client;
        settings = settings with { Destination = destinationSide };

        var plan = table is null
            ? new MySqlReadPlan(null, read.Query, [], [], new HashSet<string>())
            : await MySqlReadPlan.ForTableAsync(database, table, read.Segments, recordedBefore?.Job.Options, beforeWriting.Token);
        var source = $"{location} {read.Describe()}";
        var options = ShapedJob.Options($"mysql {plan.Describe()}; csv {settings.Csv.Describe()}; nulls {(read.KeepNulls ? "kept" : "left out")}", settings.Shape);
        JobIdentity Identity(string destination) => new("import", source, destination, plan.RangeCount, Options: options);
        var earlier = files.Earlier(Identity(existing is null ? Resumption.NotCreatedYet : JobStart.TableId(existing, settings.Destination)),
            segmentsGiven: false, logger, existing is null ? (settings.DestinationTable, settings.Destination) : null);
        var from = table is not null ? MySqlDatabase.Quote(table.Name) : $"({read.Query!.Trim().TrimEnd(';')}) AS q";
        if (earlier is { State: CheckpointState.Finished } done)
        {
            var loaded = JobStart.Finished(checkpointPath, done, logger);
            if (read.Binlog is { } binlogAgain && table is not null && MySqlCheckpoint.Binlog.Of(done) is { } position)
            {
                position = await MySqlBinlogFollow.StartAsync(database, binlogAgain, position, beforeWriting.Token);
                return await MySqlBinlogFollow.RunAsync(settings, read, binlogAgain, database, table, client, existing!.Key, deadLetters, rejects,
                    JobCheckpoint.Continue(checkpointPath, done, timeProvider, logger), position, loaded, observer, timeProvider, logger, stop);
            }

            return read.Follow is { } again && MySqlCheckpoint.Incremental.Of(done) is { } saved
                ? await FollowAsync(settings, read, again, database, from, plan, client, existing!.Key, deadLetters, rejects,
                    JobCheckpoint.Continue(checkpointPath, done, timeProvider, logger), saved, loaded, logger, stop)
                : loaded;
        }

        // The mark changes are polled from is taken before the load starts, so what changes during the load is polled too.
        var mark = read.Follow is { } follow
            ? MySqlCheckpoint.Incremental.Of(earlier) ?? await MySqlFollower.TakeMarkAsync(database, from, follow.IncrementalColumn, beforeWriting.Token)
            : null;
        // The binary log's position likewise, with every check of the server (format, row images, privileges, not purged).
        var binlogStart = read.Binlog is { } binlog
            ? await MySqlBinlogFollow.StartAsync(database, binlog, MySqlCheckpoint.Binlog.Of(earlier), beforeWriting.Token)
            : null;
        var wanted = existing is null ? Wanted(settings, read, table) : null;
        var destinationKey = existing?.Key ?? TableInspector.FromDefinition(wanted!).Key;
        var key = ImportRunner.InputKey(settings, destinationKey);
        _ = new ItemShaper(settings.Shape, key.Select(k => k.Name).ToList(), filterHere: true); // checked before anything is written
        // Rows whose key is not the destination's (a number for a string key, say) are refused here, not one by one.
        var sample = await new MySqlRowSource(database, plan, new RowMapping(settings.Csv), key, rejects, read.KeepNulls, failFast: false, logger)
            .SampleAsync(from, ImportPreflight.KeySampleSize, beforeWriting.Token);
        ImportPreflight.CheckSampledKeys(sample, sourceName, key, settings.DestinationTable);
        Log.ImportDatabase(logger, plan.Describe(), location.ToString(), columns.Count);
        var created = wanted is null
            ? null
            : await DestinationCreator.CreateAsync(client, wanted, null, settings.Destination, timeProvider, logger, stop.Hard);
        try
        {
            var mapping = new RowMapping(settings.Csv);
            JobCheckpoint? checkpoint = null;
            var summary = await import.WriteAsync(settings, client, deadLetters, rejects, (checkpointPath, earlier), source, table?.RowEstimate,
                Enumerable.Range(0, plan.RangeCount).ToList(), destination => Identity(JobStart.TableId(destination, settings.Destination)),
                itemKey => new MySqlRowSource(database, plan, mapping, itemKey, rejects, read.KeepNulls, settings.FailFast, logger)
                {
                    DeletedColumn = read.Follow?.DeletedColumn, // rows soft-deleted before the load are left out: no poll would delete them
                },
                logger, observer, stop, started =>
                {
                    checkpoint = started;
                    if (mark is not null && MySqlCheckpoint.Incremental.Of(started) is null)
                    {
                        MySqlCheckpoint.Incremental.Record(started, mark);
                    }

                    if (binlogStart is not null && MySqlCheckpoint.Binlog.Of(started) is null)
                    {
                        MySqlCheckpoint.Binlog.Record(started, binlogStart);
                    }
                });
            if (read.Binlog is { } following && table is not null && summary.Complete && checkpoint is not null && MySqlCheckpoint.Binlog.Of(checkpoint) is { } followFrom)
            {
                return await MySqlBinlogFollow.RunAsync(settings, read, following, database, table, client, destinationKey, deadLetters, rejects, checkpoint, followFrom,
                    summary, observer, timeProvider, logger, stop);
            }

            return read.Follow is { } polling && summary.Complete && checkpoint is not null && MySqlCheckpoint.Incremental.Of(checkpoint) is { } start
                ? await FollowAsync(settings, read, polling, database, from, plan, client, destinationKey, deadLetters, rejects, checkpoint, start, summary,
                    logger, stop)
                : summary;
        }
        finally
        {
            if (created is not null)
            {
                await DestinationCreator.FinishAsync(client, created, timeProvider, logger);
            }
        }
    }

    /// <summary>After the full load: polls for changed rows until Ctrl+C or --stopWhenCaughtUp; the load's summary with what following came to.</summary>
    private async Task<TransferSummary> FollowAsync(ImportSettings settings, MySqlReadSettings read, MySqlFollowSettings follow, MySqlDatabase database,
        string from, MySqlReadPlan plan, Amazon.DynamoDBv2.IAmazonDynamoDB client, IReadOnlyList<KeyAttribute> destinationKey, DeadLetterFile deadLetters,
        RejectFile rejects, JobCheckpoint checkpoint, IncrementalCheckpoint start, TransferSummary loaded, ILogger logger, StopSignals stop)
    {
        Log.Following(logger, $"{database.Location}: rows with {follow.IncrementalColumn} from {start.Mark ?? "its first value"} on, every {follow.PollInterval.TotalSeconds} s"
            + (follow.DeletedColumn is { } d ? $"; rows with {d} true are deleted" : "; rows deleted for good are not seen (use --deletedColumn)"));
        var mapping = new RowMapping(settings.Csv);
        var inputKey = ImportRunner.InputKey(settings, destinationKey);
        var source = $"{database.Location} {read.Describe()}";
        // The deletes of soft-deleted rows pay the same write budget as the puts (one after the other in a poll, never at once).
        var deletes = new FollowCounters();
        using var changes = await ImportChangeWriter.OpenAsync(settings, client, deadLetters, deletes, timeProvider, logger, stop.Hard);
        var writer = changes.Writer;
        var follower = new MySqlFollower(database, from, follow, plan.JsonColumns,
            (poll, signals) => import.WriteAsync(settings, client, deadLetters, rejects, null, source, null, [0], _ => null!,
                itemKey => new MySqlRowSource(database, poll, mapping, itemKey, rejects, read.KeepNulls, failFast: false, logger), logger, null, signals),
            (poll, counters, cancellationToken) => DeleteAsync(writer, deletes, settings, destinationKey,
                new MySqlRowSource(database, poll, mapping, inputKey, rejects, read.KeepNulls, failFast: false, logger), counters, timeProvider, cancellationToken),
            timeProvider, logger);
        try
        {
            var followed = await follower.RunAsync(start, checkpoint, stop);
            return loaded with { Follow = followed, Interrupted = false };
        }
        catch (DdbCopyException ex)
        {
            Log.Fatal(logger, ex.Message);
            return loaded with { Follow = follower.Summary(), Error = ex.Message };
        }
    }

    /// <summary>
    /// Deletes the items of the rows a source reads (soft-deleted rows) through one <see cref="ChangeWriter"/>: each
    /// delete pays the follow's write budget, is retried, and is dead-lettered when it cannot be made.
    /// </summary>
    private static async Task DeleteAsync(ChangeWriter writer, FollowCounters deletes, ImportSettings settings, IReadOnlyList<KeyAttribute> destinationKey,
        MySqlRowSource rows, TransferCounters counters, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var shaper = new ItemShaper(settings.Shape with { FilterExpression = null, Transform = null }, ImportRunner.InputKey(settings, destinationKey)
            .Select(k => k.Name).ToList(), filterHere: false);
        var (applied, deadLettered) = (deletes.Applied, deletes.DeadLettered);
        var queue = System.Threading.Channels.Channel.CreateBounded<WriteBatch>(4);
        var reading = Task.Run(async () =>
        {
            try
            {
                await rows.ProduceAsync(new SourceContext(queue.Writer, counters, cancellationToken, cancellationToken, (_, _) => { }));
            }
            finally
            {
                queue.Writer.TryComplete();
            }
        }, cancellationToken);
        await foreach (var batch in queue.Reader.ReadAllAsync(cancellationToken))
        {
            foreach (var row in batch.Items)
            {
                var item = shaper.Shape(row, out _) ?? row;
                var keys = destinationKey.Where(k => item.ContainsKey(k.Name)).ToDictionary(k => k.Name, k => item[k.Name], StringComparer.Ordinal);
                await writer.ApplyAsync(new ChangeRecord("", "REMOVE", timeProvider.GetUtcNow(), keys, null, null, 0), cancellationToken);
            }
        }

        await reading;
        counters.AddWritten((int)(deletes.Applied - applied));
        counters.AddDeadLettered((int)(deletes.DeadLettered - deadLettered));
    }

    /// <summary>
    /// What --createDestination creates: --schemaFile, else an on-demand table keyed on --destinationKey, else on the
    /// source table's primary key (its columns under their --renameAttribute names, typed N, B or S from the column types).
    /// </summary>
    private static TableDefinition Wanted(ImportSettings settings, MySqlReadSettings read, MySqlTable? table)
    {
        if (settings.SchemaFile is not null)
        {
            return ImportRunner.Wanted(settings, null);
        }

        var key = read.DestinationKey
            ?? (table is { PrimaryKey.Count: 1 or 2 } source
                ? source.PrimaryKey.Select((c, i) => new KeyAttribute(settings.Shape.WrittenNameOf(c), i == 0 ? "HASH" : "RANGE", source.AttributeTypeOf(c))).ToList()
                : throw new DdbCopyException(FailureKind.Usage, table is null
                    ? "--createDestination with --query needs the new table's key: --destinationKey pk[:S][,sk[:S]], or --schemaFile."
                    : $"--createDestination: the table '{table.Name}' has {(table.PrimaryKey.Count == 0 ? "no primary key" : $"a primary key of {table.PrimaryKey.Count} columns")}; name the new table's key with --destinationKey pk[:S][,sk[:S]], or give --schemaFile."));
        var definition = new TableDefinition
        {
            TableName = settings.DestinationTable,
            KeySchema = key.Select(k => new KeyElement(k.Name, k.KeyType)).ToList(),
            AttributeDefinitions = key.Select(k => new AttributeType(k.Name, k.AttributeType)).ToList(),
            BillingMode = "PAY_PER_REQUEST",
        };
        return settings.Overrides.Apply(definition, settings.DestinationTable);
    }

    /// <summary>The columns a query gives, from its metadata alone (no row is read).</summary>
    private static async Task<IReadOnlyList<string>> QueryColumnsAsync(MySqlDatabase database, string query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            await using var command = new MySqlCommand($"SELECT * FROM ({query.TrimEnd().TrimEnd(';')}) AS q LIMIT 0", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return reader.GetColumnSchema().Select(c => c.ColumnName).ToList();
        }
        catch (MySqlException ex)
        {
            throw new DdbCopyException(FailureKind.Usage, $"--query cannot be run on {database.Location}: {ex.Message}", ex);
        }
    }

    /// <summary>Every column the mapping names must be in the result (checked before anything is written).</summary>
    private static void CheckMapping(ImportSettings settings, MySqlReadSettings read, IReadOnlyList<string> columns)
    {
        var missing = settings.Csv.NamedColumns().Where(c => !columns.Contains(c.Column, StringComparer.Ordinal))
            .Concat(read.Follow is { } follow ? new[] { (follow.IncrementalColumn, "--incrementalColumn") }.Concat(
                follow.DeletedColumn is { } deleted ? [(deleted, "--deletedColumn")] : []).Where(c => !columns.Contains(c.Item1, StringComparer.Ordinal)) : [])
            .Select(c => $"'{c.Item1}' ({c.Item2})").Distinct().ToList();
        if (missing.Count > 0)
        {
            throw new DdbCopyException(FailureKind.Usage,
                $"The {(read.Table is { } t ? $"table '{t}'" : "query")} has no column {string.Join(", ", missing)}; it has: {string.Join(", ", columns)}.");
        }
    }
}
