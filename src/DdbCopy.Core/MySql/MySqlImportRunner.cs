using DdbCopy.Core.Aws;
using DdbCopy.Core.Checkpoints;
using DdbCopy.Core.Copying;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Errors;
using DdbCopy.Core.Importing;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Shaping;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace DdbCopy.Core.MySql;

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
        Log.ImportInput(logger, $"{location} {read.Describe()}", 1, $"{columns.Count} columns");

        var now = timeProvider.GetUtcNow();
        var sourceName = $"{location.Database}.{read.Table ?? "query"}";
        var checkpointPath = settings.CheckpointFile ?? CheckpointFile.DefaultPath("import", CheckpointFile.NameOf(sourceName), settings.DestinationTable);
        CheckpointFile.CheckWritable(checkpointPath);
        var recordedBefore = settings.Resume ? CheckpointFile.Load(checkpointPath) : null;
        await using var deadLetters = new DeadLetterFile(settings.DeadLetterFile ?? recordedBefore?.DeadLetterFile
            ?? DeadLetterFile.DefaultPath(settings.DestinationTable, now));
        await using var rejects = new RejectFile(settings.RejectFile ?? recordedBefore?.RejectFile ?? RejectFile.DefaultPath(settings.DestinationTable, now));
        deadLetters.CheckWritable();
        rejects.CheckWritable();

        var (client, destinationSide) = DynamoDbClientFactory.Open(settings.Destination, "destination", settings.RequestTimeout, timeProvider, logger);
        using var clientOwner = client;
        settings = settings with { Destination = destinationSide };
        var existing = await CopyPreflight.DescribeDestinationIfExistsAsync(client, settings.DestinationTable, settings.Destination, timeProvider,
            beforeWriting.Token);
        if (existing is null && !settings.CreateDestination)
        {
            throw new DdbCopyException(FailureKind.Environment, $"The destination table '{settings.DestinationTable}' does not exist at {settings.Destination}.");
        }

        var plan = table is null
            ? new MySqlReadPlan(null, read.Query, [], [], new HashSet<string>())
            : await MySqlReadPlan.ForTableAsync(database, table, read.Segments, recordedBefore?.Job.Options, beforeWriting.Token);
        var source = $"{location} {read.Describe()}";
        var options = ShapedJob.Options($"mysql {plan.Describe()}; csv {settings.Csv.Describe()}; nulls {(read.KeepNulls ? "kept" : "left out")}", settings.Shape);
        JobIdentity Identity(string destination) => new("import", source, destination, plan.RangeCount, Options: options);
        var earlier = Resumption.Find(checkpointPath, settings.Resume, Identity(existing is null ? Resumption.NotCreatedYet : JobStart.TableId(existing, settings.Destination)),
            segmentsGiven: false, logger, existing is null ? (settings.DestinationTable, settings.Destination) : null);
        if (earlier is { State: CheckpointState.Finished })
        {
            return JobStart.Finished(checkpointPath, earlier, logger);
        }

        var wanted = existing is null ? ImportRunner.Wanted(settings, null) : null;
        var key = ImportRunner.InputKey(settings, existing?.Key ?? TableInspector.FromDefinition(wanted!).Key);
        _ = new ItemShaper(settings.Shape, key.Select(k => k.Name).ToList(), filterHere: true); // checked before anything is written
        Log.Shaping(logger, $"reading {plan.Describe()}");
        var created = wanted is null
            ? null
            : await DestinationCreator.CreateAsync(client, wanted, null, settings.Destination, timeProvider, logger, stop.Hard);
        try
        {
            var mapping = new RowMapping(settings.Csv);
            return await import.WriteAsync(settings, client, deadLetters, rejects, (checkpointPath, earlier), source, table?.RowEstimate,
                Enumerable.Range(0, plan.RangeCount).ToList(), destination => Identity(JobStart.TableId(destination, settings.Destination)),
                itemKey => new MySqlRowSource(database, plan, mapping, itemKey, rejects, read.KeepNulls, settings.FailFast, logger),
                logger, observer, stop);
        }
        finally
        {
            if (created is not null)
            {
                await DestinationCreator.FinishAsync(client, created, timeProvider, logger);
            }
        }
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
