using System.Text.Json;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine.Checkpoints;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Sinks.DynamoDb;
using DdbCopy.Core.Sources.Files;
using Microsoft.Extensions.Logging;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Shaping;

namespace DdbCopy.Core.Jobs.Importing;

/// <summary>
/// Builds and runs an import: resolves the input (a file, an export with its manifest, a folder of data files),
/// verifies checksums and counts before the first write, creates the destination when asked, and writes the items
/// through the same throttled, retried, dead-lettered writers as a copy.
/// </summary>
public sealed partial class ImportRunner(ILoggerFactory loggerFactory, TimeProvider timeProvider, IJobClients? clients = null)
{
    private readonly IJobClients _clients = clients ?? new JobClients(timeProvider);

    public async Task<TransferSummary> RunAsync(ImportSettings settings, IProgressObserver? observer, StopSignals stop)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(stop);
        if (ImportFrom.KindOf(settings.From) is { } kind)
        {
            return await kind.RunAsync(this, settings, observer, stop, loggerFactory, timeProvider);
        }

        var logger = loggerFactory.CreateLogger("ddbcopy");

        // Before the first write (reading manifests, checking every data file), any Ctrl+C stops at once.
        using var beforeWriting = CancellationTokenSource.CreateLinkedTokenSource(stop.Graceful, stop.Hard);
        using var resolved = await ImportSource.ResolveAsync(settings.From, settings.S3, beforeWriting.Token, settings.AllowIncompleteExport);
        var source = settings.TotalSections > 1 ? resolved.Section(settings.Section, settings.TotalSections) : resolved;
        Log.ImportInput(logger, source.Store.Root, source.Files.Count, source.Summary is null ? "no manifest" : "a manifest");
        if (settings.TotalSections > 1)
        {
            Log.Section(logger, settings.Section, settings.TotalSections, $"{source.Files.Count} of the {resolved.Files.Count} data files, every {settings.TotalSections}th from the {settings.Section}th");
        }

        await using var files = JobFiles.Open(
            settings.CheckpointFile ?? CheckpointFile.DefaultPath("import", CheckpointFile.NameOf(source.Store.Root), settings.DestinationTable, settings.Section,
                settings.TotalSections),
            settings.Resume, settings.Write.DeadLetterFile, settings.RejectFile, settings.DestinationTable, settings.Shape.MaskPaths.Count > 0, timeProvider);
        var (checkpointPath, deadLetters, rejects) = (files.CheckpointPath, files.DeadLetters, files.Rejects);
        ImportPreflight.CheckOutputs(source, settings.From, deadLetters, rejects);
        if (source.Summary is not null)
        {
            var items = await ManifestVerifier.VerifyAsync(source, beforeWriting.Token);
            Log.Verified(logger, source.Files.Count, items);
        }

        await CheckCsvHeadersAsync(settings, source, beforeWriting.Token);
        // The table to write into, or the definition to create it from: either way its key is checked against the data first.
        var (client, destinationSide, existing) = await OpenDestinationAsync(settings, logger, beforeWriting.Token);
        using var clientOwner = client;
        settings = settings with { Destination = destinationSide };

        var job = new JobIdentity("import", source.Store.Root,
            existing is null ? Resumption.NotCreatedYet : JobStart.TableId(existing, settings.Destination), 1, settings.Section, settings.TotalSections, Mapping(settings));
        var earlier = files.Earlier(job, segmentsGiven: false, logger,
            existing is null ? (settings.DestinationTable, settings.Destination) : null);
        if (earlier is { State: CheckpointState.Finished })
        {
            return JobStart.Finished(checkpointPath, earlier, logger);
        }

        var wanted = existing is null ? Wanted(settings, source) : null;
        var key = InputKey(settings, existing?.Key ?? TableInspector.FromDefinition(wanted!).Key);
        _ = new ItemShaper(settings.Shape, key.Select(k => k.Name).ToList(), filterHere: true); // checked before anything is written
        await ImportPreflight.CheckKeysAsync(source, file => ReaderFor(settings, file), key, settings.DestinationTable, beforeWriting.Token);

        var created = wanted is null
            ? null
            : await DestinationCreator.CreateAsync(client, wanted, null, settings.Destination, timeProvider, logger, stop.Hard);
        try
        {
            return await ImportAsync(settings, source, client, deadLetters, rejects, (checkpointPath, earlier), logger, observer, stop);
        }
        finally
        {
            if (created is not null && settings.TotalSections > 1)
            {
                // The other sections may still be writing: `ddbcopy finish --schemaFile` does this once after all of them ended.
                Log.ImportFinishLater(logger, created.TableName, settings.TotalSections,
                    $"ddbcopy finish --schemaFile {settings.SchemaFile ?? source.Store.Root} --destinationTable {created.TableName}");
            }
            else if (created is not null)
            {
                await DestinationCreator.FinishAsync(client, created, timeProvider, logger);
            }
        }
    }

    /// <summary>The destination's client, its side as resolved, and the table (null when it does not exist: only with --createDestination).</summary>
    /// <exception cref="DdbCopyException">The table does not exist and --createDestination was not given.</exception>
    internal async Task<(Amazon.DynamoDBv2.IAmazonDynamoDB Client, SideSpec Side, TableInfo? Existing)> OpenDestinationAsync(ImportSettings settings, ILogger logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (client, side) = _clients.OpenDynamoDb(settings.Destination, "destination", settings.RequestTimeout, logger);
        try
        {
            var existing = await TableDescriber.DescribeDestinationIfExistsAsync(client, settings.DestinationTable, side, timeProvider, cancellationToken);
            if (existing is not null && settings.Shape.ScanFilter() is { } filter)
            {
                // ddbcopy evaluates an import's filter itself, and refuses what DynamoDB refuses; DynamoDB has the last word.
                await filter.CheckWithDynamoDbAsync(client, settings.DestinationTable, Aws.ControlPlane.Pipeline(timeProvider), cancellationToken);
            }

            return existing is null && !settings.CreateDestination
                ? throw new DdbCopyException(FailureKind.Environment, $"The destination table '{settings.DestinationTable}' does not exist at {side}.")
                : (client, side, existing);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private Task<TransferSummary> ImportAsync(ImportSettings settings, ImportSource source, Amazon.DynamoDBv2.IAmazonDynamoDB client,
        DeadLetterFile deadLetters, RejectFile rejects, (string Path, Checkpoint? Earlier) resume, ILogger logger, IProgressObserver? observer,
        StopSignals stop) =>
        WriteAsync(settings, client, deadLetters, rejects, resume, source.Store.Root, source.Summary?.ItemCount, [0],
            destination => new JobIdentity("import", source.Store.Root, JobStart.TableId(destination, settings.Destination), 1, settings.Section, settings.TotalSections,
                Mapping(settings)),
            key => new FileItemSource(source, file => ReaderFor(settings, file), key, rejects, settings.FailFast, logger,
                file => !(IsCsv(settings, file) && settings.Csv.GroupBy.Count > 0)),
            logger, observer, stop);

    /// <summary>
    /// The writing half of every import (files, a database): plans the write budget for the destination, starts or
    /// continues the job's checkpoint, shapes what the source reads and writes it, refused items rejected.
    /// </summary>
    /// <param name="sourceName">What is read, for the log.</param>
    /// <param name="lanes">The source's lanes (one per file set, one per range of a database table).</param>
    /// <param name="source">The source, given the key its records must have.</param>
    /// <param name="resume">The job's checkpoint file and the earlier run to continue; null for a run that keeps none (a poll for changes).</param>
    /// <param name="started">Told the job's checkpoint once it exists.</param>
    internal async Task<TransferSummary> WriteAsync(ImportSettings settings, Amazon.DynamoDBv2.IAmazonDynamoDB client, DeadLetterFile deadLetters,
        RejectFile rejects, (string Path, Checkpoint? Earlier)? resume, string sourceName, long? expectedItems, IReadOnlyList<int> lanes,
        Func<TableInfo, JobIdentity> identity, Func<IReadOnlyList<KeyAttribute>, IItemSource> source, ILogger logger, IProgressObserver? observer,
        StopSignals stop, Action<JobCheckpoint>? started = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(source);
        var destination = await TableDescriber.DescribeTableAsync(client, settings.DestinationTable, "destination", settings.Destination, timeProvider, stop.Hard);
        var (plan, reason) = CapacityPlanner.PlanWrite(settings.Write, destination,
            CapacityPlanner.AverageItemBytes(destination), Environment.ProcessorCount);
        if (settings.TotalSections > 1)
        {
            // Every section of the import writes into the same table: each takes its share of the budget.
            (plan, reason) = (plan with { WriteUnitsPerSecond = plan.WriteUnitsPerSecond / settings.TotalSections },
                $"{reason}; 1/{settings.TotalSections} of it for this section");
        }

        var units = plan.WriteUnitsPerSecond;
        if (resume is not null)
        {
            Log.DestinationTable(logger, destination.Name, settings.Destination.ToString(), destination.BillingModeName, destination.GlobalSecondaryIndexes.Count);
            Log.WriteRate(logger, units, reason);
        }

        observer?.PlanReady(new ProgressPlan(null, units, expectedItems));
        var checkpoint = resume is { } job
            ? JobStart.Begin(job.Path, job.Earlier, identity(destination), lanes, deadLetters.Path, rejects.Path, timeProvider, logger)
            : null;
        if (checkpoint is not null)
        {
            started?.Invoke(checkpoint);
        }

        var options = new TransferOptions { SourceTable = sourceName, DestinationTable = settings.DestinationTable, MaxRetries = settings.MaxRetries };
        var key = InputKey(settings, destination.Key);
        var target = new DynamoDbBatchWriteTarget(client, settings.DestinationTable, destination.Key.Select(k => k.Name).ToList());
        await using var sink = new DynamoDbSink(target, plan, options, deadLetters, timeProvider, logger, new RejectRefusals(rejects, settings.FailFast, logger));
        var shaper = new ItemShaper(settings.Shape, key.Select(k => k.Name).ToList(), filterHere: true);
        var shaped = ShapedJob.Source(source(key), shaper, new ShapeRejects(rejects, sourceName, logger), settings.Shape, logger);
        var transfer = new TransferJob(shaped, sink, options, timeProvider, logger, observer, checkpoint);
        return ShapedJob.Finish(await transfer.RunAsync(stop), settings.Shape, rejects) with { WriteRate = sink.AdaptiveRate };
    }

    /// <summary>How records become items: the format, the CSV mapping when there is CSV, and the shaping.</summary>
    private static string Mapping(ImportSettings settings) =>
        ShapedJob.Options($"format {settings.Format.ToString().ToLowerInvariant()}; csv {settings.Csv.Describe()}", settings.Shape)!;

    /// <summary>The key the input records have: the destination's, with a renamed key attribute under its name before the rename.</summary>
    internal static IReadOnlyList<KeyAttribute> InputKey(ImportSettings settings, IReadOnlyList<KeyAttribute> destination) =>
        destination.Select(k => k with { Name = settings.Shape.SourceNameOf(k.Name) }).ToList();

    private static IItemReader ReaderFor(ImportSettings settings, InputFile file) =>
        IsCsv(settings, file) ? new CsvItemReader(settings.Csv, file.Name) : new JsonLinesReader();

    private static bool IsCsv(ImportSettings settings, InputFile file) =>
        settings.Format == ImportFormat.Csv
        || (settings.Format == ImportFormat.Auto && CsvName().IsMatch(file.Name));

    [System.Text.RegularExpressions.GeneratedRegex(@"\.csv(\.gz|\.zst)?$", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex CsvName();

    /// <summary>Every CSV file's header must have the columns the mapping names: checked before the first write.</summary>
    private static async Task CheckCsvHeadersAsync(ImportSettings settings, ImportSource source, CancellationToken cancellationToken)
    {
        foreach (var file in source.Files.Where(f => IsCsv(settings, f)))
        {
            var where = source.PathOf(file);
            try
            {
                using var text = await InputStreams.OpenTextAsync(source.Store, file.Name, cancellationToken);
                await new CsvItemReader(settings.Csv, where).CheckHeaderAsync(text);
            }
            catch (Exception ex) when (ex is not (DdbCopyException or OperationCanceledException))
            {
                throw new DdbCopyException(FailureKind.Environment, $"Cannot read {where}: {ErrorText.Describe(ex)}", ex);
            }
        }
    }

    /// <summary>What --createDestination creates: --schemaFile, else the export's schema sidecar.</summary>
    internal static TableDefinition Wanted(ImportSettings settings, ImportSource? source)
    {
        TableDefinition definition;
        if (settings.SchemaFile is { } file)
        {
            definition = TableDefinitionJson.Load(file);
        }
        else if (source?.SchemaJson is { } json)
        {
            try
            {
                definition = TableDefinitionJson.Parse(json);
            }
            catch (JsonException ex)
            {
                throw new DdbCopyException(FailureKind.Environment, $"{source.Store.Root}: {ExportManifest.SchemaName} is not a table definition ({ex.Message}).", ex);
            }
        }
        else
        {
            throw new DdbCopyException(FailureKind.Usage,
                source is null
                    ? "--createDestination needs the table's definition: pass --schemaFile (from `ddbcopy schema export`, or written by hand)."
                    : $"--createDestination needs the table's definition, and {source.Store.Root} has no {ExportManifest.SchemaName}: pass --schemaFile (from `ddbcopy schema export`).");
        }

        return settings.Overrides.Apply(definition, settings.DestinationTable);
    }
}
