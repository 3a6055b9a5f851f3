using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine.Checkpoints;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Sinks.Files;
using DdbCopy.Core.Sources.DynamoDb;
using DdbCopy.Core.Storage;
using Microsoft.Extensions.Logging;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Shaping;

namespace DdbCopy.Core.Jobs.Exporting;

/// <summary>
/// Builds and runs an export: checks the target is empty, writes the table's definition beside the data, scans the
/// table into data files, and writes the manifests last, only when every item was exported, so an interrupted or
/// failed export never leaves a manifest that claims completeness.
/// </summary>
public sealed class ExportRunner(ILoggerFactory loggerFactory, TimeProvider timeProvider, IJobClients? clients = null)
{
    private readonly IJobClients _clients = clients ?? new JobClients(timeProvider);

    public async Task<TransferSummary> RunAsync(ExportSettings settings, IProgressObserver? observer, StopSignals stop)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(stop);
        var logger = loggerFactory.CreateLogger("ddbcopy");
        var exportTime = timeProvider.GetUtcNow();
        var (client, sourceSide) = _clients.OpenDynamoDb(settings.Source, "source", settings.RequestTimeout, logger);
        using var clientOwner = client;
        settings = settings with { Source = sourceSide };
        if (settings.To is LocalLocation { Path: var path } && File.Exists(path))
        {
            throw new DdbCopyException(FailureKind.Environment, $"{path} is a file: export into an empty folder (it is created when missing).");
        }

        using var store = _clients.OpenFiles(settings.To, settings.S3, settings.S3PartSizeBytes);
        var source = await TableDescriber.DescribeTableAsync(client, settings.SourceTable, "source", settings.Source, timeProvider, stop.Hard);
        if (settings.Shape.ScanFilter() is { } filter)
        {
            await filter.CheckWithDynamoDbAsync(client, settings.SourceTable, Aws.ControlPlane.Pipeline(timeProvider), stop.Hard); // before any file is written
        }
        // An export refuses no item (a file takes any), so its dead-letter file is never created; rejects come from shaping.
        var sectioned = settings.TotalSections > 1;
        await using var runFiles = JobFiles.Open(settings.CheckpointFile
                ?? CheckpointFile.DefaultPath("export", settings.SourceTable, CheckpointFile.NameOf(store.Root), settings.Section, settings.TotalSections),
            settings.Resume, null, settings.RejectFile, settings.SourceTable, settings.Shape.MaskPaths.Count > 0, timeProvider);
        var (checkpointPath, rejects) = (runFiles.CheckpointPath, runFiles.Rejects);
        var compression = settings.Compression.ToString().ToLowerInvariant();
        var job = new JobIdentity("export", JobStart.TableId(source, settings.Source), store.Root, settings.Segments ?? 0, settings.Section, settings.TotalSections,
            ShapedJob.Options($"compression {compression}", settings.Shape));
        var shaper = new ItemShaper(settings.Shape, source.Key.Select(k => k.Name).ToList(), filterHere: false); // checked before anything is written
        if (settings.Shape.Any)
        {
            rejects.CheckWritable();
        }

        var earlier = runFiles.Earlier(job, settings.Segments is not null, logger);
        if (earlier is { State: CheckpointState.Finished })
        {
            return JobStart.Finished(checkpointPath, earlier, logger);
        }

        var sectionPrefix = sectioned ? $"{ExportManifest.DataFolder}/{ExportSections.FilePrefix(settings.Section)}" : "";
        if (earlier is null)
        {
            await CheckEmptyAsync(store, sectionPrefix, stop.Hard);
        }
        else
        {
            settings = settings with { Segments = earlier.Job.TotalSegments };
            await RemoveUncommittedAsync(store, earlier, sectionPrefix, logger, stop.Hard);
        }

        Log.SourceTable(logger, source.Name, settings.Source.ToString(), source.BillingModeName, source.ItemCount, source.SizeBytes, source.DescribeKey());
        TableDefinition definition;
        try
        {
            definition = await TableDefinitionReader.ReadAsync(client, settings.SourceTable, logger, stop.Hard);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DdbCopyException))
        {
            throw new DdbCopyException(FailureKind.Environment,
                $"Cannot read the definition of the source table '{settings.SourceTable}' at {settings.Source}: {ErrorText.Describe(ex)}", ex);
        }

        if (earlier is null && settings.Section == 0)
        {
            await ExportFiles.WriteAsync(store, ExportManifest.SchemaName, TableDefinitionJson.Serialize(definition), stop.Hard);
        }

        var plan = CapacityPlanner.PlanRead(new ReadRequest(settings.ReadRatio, settings.ReadUnitsPerSecond, settings.Segments, settings.ConsistentScan,
            settings.TotalSections, settings.Section), source);
        plan = plan with
        {
            AdaptiveCeiling = CapacityPlanner.AdaptiveCeiling(settings.Rate, source, settings.ReadUnitsPerSecond, source.OnDemandMaxReadUnits, plan.ReadUnitsPerSecond, 1),
        };
        Log.ReadRate(logger, plan.ReadUnitsPerSecond, plan.ReadRateReason);
        Log.Exporting(logger, settings.SourceTable, store.Root, plan.Segments.Count, settings.Compression.ToString().ToLowerInvariant());
        observer?.PlanReady(new ProgressPlan(plan.ReadUnitsPerSecond, null, ProgressPlan.ShareOf(source.ItemCount, plan.Segments.Count, plan.TotalSegments)));

        var checkpoint = JobStart.Begin(checkpointPath, earlier, job with { TotalSegments = plan.TotalSegments }, plan.Segments, null, null, timeProvider, logger);
        var options = new TransferOptions { SourceTable = settings.SourceTable, DestinationTable = store.Root, MaxRetries = settings.MaxRetries };
        await using var sink = new ExportFileSink(store,
            new ExportFileOptions
            {
                Compression = settings.Compression,
                MaxFileBytes = settings.MaxFileBytes,
                WriterCount = Math.Clamp(Math.Min(Environment.ProcessorCount, plan.Segments.Count), 1, 4),
                FilePrefix = (sectioned ? ExportSections.FilePrefix(settings.Section) : "") + (earlier is null ? "" : $"r{earlier.Runs + 1}-"),
            },
            logger);
        var scan = new SegmentedScanSource(new DynamoDbScanPageReader(client, settings.SourceTable, settings.ConsistentScan, settings.Shape.ScanFilter()),
            plan, options, timeProvider, logger);
        var transfer = new TransferJob(
            ShapedJob.Source(scan, shaper, new ShapeRejects(rejects, $"table {settings.SourceTable}", logger), settings.Shape, logger),
            sink,
            options,
            timeProvider,
            logger,
            observer,
            checkpoint);
        var summary = ShapedJob.Finish(await transfer.RunAsync(stop), settings.Shape, rejects) with { ReadRate = scan.AdaptiveRate };
        if (!summary.Complete)
        {
            Log.NoManifest(logger, store.Root);
            return summary;
        }

        var files = checkpoint.Ledger.Snapshot().Files.OrderBy(f => f.DataFileS3Key, StringComparer.Ordinal).ToList(); // every run's
        var s3 = settings.To as S3Location;
        if (sectioned)
        {
            return await EndSectionAsync(settings, store, files, summary, exportTime, logger);
        }

        await ExportFiles.WriteManifestAsync(store, files, new ManifestSummary
        {
            StartTime = ManifestSummary.Time(exportTime),
            EndTime = ManifestSummary.Time(timeProvider.GetUtcNow()),
            ExportTime = ManifestSummary.Time(exportTime),
            ItemCount = summary.Written,
            Compression = settings.Compression.ToString().ToLowerInvariant(),
        }, s3, logger, CancellationToken.None);
        return summary;
    }

    /// <summary>
    /// A section's share is complete: its part of the manifest, then the whole export's manifest when every other
    /// section has ended already (this one is the last).
    /// </summary>
    private async Task<TransferSummary> EndSectionAsync(ExportSettings settings, IFileStore store, IReadOnlyList<ManifestFile> files, TransferSummary summary,
        DateTimeOffset exportTime, ILogger logger)
    {
        await ExportSections.WritePartAsync(store, settings.Section, settings.TotalSections, files, new ManifestSummary
        {
            StartTime = ManifestSummary.Time(exportTime),
            EndTime = ManifestSummary.Time(timeProvider.GetUtcNow()),
            ExportTime = ManifestSummary.Time(exportTime),
            ItemCount = summary.Written,
            Compression = settings.Compression.ToString().ToLowerInvariant(),
        }, CancellationToken.None);
        var missing = await ExportSections.TryCompleteAsync(store, settings.To as S3Location, logger, CancellationToken.None);
        Log.ExportSection(logger, missing is null
            ? $"section {settings.Section} of {settings.TotalSections} ended last and wrote the manifest of the whole export"
            : $"section {settings.Section} of {settings.TotalSections} done; the manifest is written when the last section ends, or by `ddbcopy finish --export` ({missing})");
        return summary;
    }

    /// <summary>
    /// Deletes the data files a stopped run left that its checkpoint does not list (not committed, or committed after
    /// the last save): their items are read again, and the export must not hold them twice. A section's run deletes
    /// only its own files (<paramref name="sectionPrefix"/>).
    /// </summary>
    private static async Task RemoveUncommittedAsync(IFileStore store, Checkpoint earlier, string sectionPrefix, ILogger logger, CancellationToken cancellationToken)
    {
        var committed = (earlier.Files ?? []).Select(f => f.DataFileS3Key).ToHashSet(StringComparer.Ordinal);
        try
        {
            foreach (var name in await store.ListAsync(ExportManifest.DataFolder, cancellationToken))
            {
                if (name.StartsWith(sectionPrefix, StringComparison.Ordinal) && !committed.Contains(store.ManifestKey(name)))
                {
                    await store.DeleteAsync(name, cancellationToken);
                    Log.OrphanRemoved(logger, name);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new DdbCopyException(FailureKind.Environment, $"Cannot tidy {store.Root} for the resumed export: {ErrorText.Describe(ex)}", ex);
        }
    }

    /// <summary>The target is empty; for a section (<paramref name="sectionPrefix"/>): it holds no whole export and none of this section's files.</summary>
    private static async Task CheckEmptyAsync(IFileStore store, string sectionPrefix, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> existing;
        try
        {
            existing = await store.ListAsync("", cancellationToken);
            if (sectionPrefix.Length > 0)
            {
                existing = existing.Where(n => n == ExportManifest.SummaryName || n.StartsWith(sectionPrefix, StringComparison.Ordinal)).ToList();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new DdbCopyException(FailureKind.Environment, $"Cannot read {store.Root}: {ErrorText.Describe(ex)}", ex);
        }

        if (existing.Count > 0)
        {
            throw new DdbCopyException(FailureKind.Environment,
                $"{store.Root} is not empty (it holds {existing[0]}{(existing.Count > 1 ? $" and {existing.Count - 1} more" : "")}): export into an empty folder or prefix (or continue a stopped export into it with --resume).");
        }
    }
}
