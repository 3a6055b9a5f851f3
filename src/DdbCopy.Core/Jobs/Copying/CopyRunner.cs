using Amazon.DynamoDBv2;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine.Checkpoints;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Sinks.DynamoDb;
using DdbCopy.Core.Sources.DynamoDb;
using DdbCopy.Core.Sources.Streams;
using Microsoft.Extensions.Logging;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Shaping;

namespace DdbCopy.Core.Jobs.Copying;

/// <summary>
/// The one factory that builds the real pieces of a copy (clients, checks, plan, job) and runs it. Every check runs
/// first; only then does anything change (delete, create, boost), and the copy starts last.
/// </summary>
public sealed class CopyRunner(ILoggerFactory loggerFactory, TimeProvider timeProvider, IJobClients? clients = null)
{
    private readonly IJobClients _clients = clients ?? new JobClients(timeProvider);

    public async Task<TransferSummary> RunAsync(CopySettings settings, IProgressObserver? observer, StopSignals stop)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(stop);
        var logger = loggerFactory.CreateLogger("ddbcopy");
        if (settings.S3 is { } s3)
        {
            Storage.RemoteFiles.Use(s3); // a checkpoint in S3: the job's and, for a follower, every section's
        }

        var (sourceClient, sourceSide) = _clients.OpenDynamoDb(settings.Source, "source", settings.RequestTimeout, logger);
        using var sourceOwner = sourceClient;
        var (destinationClient, destinationSide) = _clients.OpenDynamoDb(settings.Destination, "destination", settings.RequestTimeout, logger);
        using var destinationOwner = destinationClient;
        settings = settings with { Source = sourceSide, Destination = destinationSide };

        // Checks: nothing below them changes a table.
        var checks = await CopyPreflight.CheckAsync(sourceClient, destinationClient, settings, timeProvider, logger, stop.Hard);
        if (settings.Follow is { } follow && !FollowPreflight.Check(checks.Source, follow))
        {
            settings = settings with { Follow = follow with { EnableSourceStream = true } };
        }
        else if (settings.Follow is { } keep)
        {
            settings = settings with { Follow = keep with { EnableSourceStream = false } }; // it has one: nothing to enable
        }

        // The shaping is checked against the source's key before anything changes.
        _ = new ItemShaper(settings.Shape, checks.Source.Key.Select(k => k.Name).ToList(), filterHere: false);
        await using var files = JobFiles.Open(
            settings.CheckpointFile ?? CheckpointFile.DefaultPath("copy", settings.SourceTable, settings.DestinationTable, settings.Section, settings.TotalSections),
            settings.Resume, settings.Write.DeadLetterFile, settings.RejectFile, settings.DestinationTable, settings.Shape.MaskPaths.Count > 0, timeProvider);
        if (settings.Shape.Any)
        {
            files.Rejects.CheckWritable();
        }

        var resume = FindEarlierRun(settings, checks, files, logger);
        if (resume.Earlier is { State: CheckpointState.Finished } finished)
        {
            return JobStart.Finished(resume.Path, finished, logger);
        }

        if (resume.Earlier is { } earlier)
        {
            settings = settings with { Segments = earlier.Job.TotalSegments };
            if (StreamCheckpoint.Follow.Of(earlier) is { } followed)
            {
                StreamFollower.CheckResume(followed, checks.Source.LatestStreamArn ?? "(none)", timeProvider.GetUtcNow());
            }
        }

        files.DeadLetters.CheckWritable();
        if (settings.Follow is { } spooling && (settings.TotalSections == 1 || settings.IsFollower))
        {
            Storage.OwnerOnlyFile.CheckFolder(StreamCheckpoint.Follow.Of(resume.Earlier)?.SpoolDirectory ?? spooling.SpoolFor(resume.Path), ChangeSpool.What);
        }

        if (settings.IsFollower)
        {
            return await SectionFollower.RunAsync(settings, settings.Follow!, checks, sourceClient, destinationClient, files, resume.Earlier, resume.SourceId,
                observer, stop, timeProvider, logger, _clients);
        }

        var planned = checks.Destination ?? TableInspector.FromDefinition(checks.ToCreate!);
        CapacityPlanner.Plan(settings.ReadRequest, settings.WriteRequest, settings.Rate, checks.Source, Boosted(planned, settings), Environment.ProcessorCount);

        var created = checks.ToCreate is { } wanted
            ? await DestinationCreator.CreateAsync(destinationClient, wanted, checks.ToReplace, settings.Destination, timeProvider, logger, stop.Hard)
            : null;
        try
        {
            var destination = checks.Destination
                ?? await TableDescriber.DescribeTableAsync(destinationClient, settings.DestinationTable, "destination", settings.Destination, timeProvider, stop.Hard);
            CopyPreflight.CheckKeysMatch(checks.Source, destination, settings.Shape); // a table created meanwhile by someone else is not written into

            return await BoostAndCopyAsync(settings, checks.Source, destination, sourceClient, destinationClient, files, resume, logger, observer, stop);
        }
        finally
        {
            if (created is not null && settings.TotalSections > 1)
            {
                // The other sections may still be writing: `ddbcopy finish` does this once after all of them ended.
                Log.FinishLater(logger, created.TableName, settings.TotalSections);
            }
            else if (created is not null)
            {
                // The stream is enabled only now, so its consumers do not receive the whole copy as new writes.
                await DestinationCreator.FinishAsync(destinationClient, created, timeProvider, logger);
            }
        }
    }

    /// <summary>The checkpoint of an earlier run to continue (with --resume), checked before anything changes.</summary>
    private static ResumeState FindEarlierRun(CopySettings settings, CopyChecks checks, JobFiles files, ILogger logger)
    {
        var sourceId = JobStart.TableId(checks.Source, settings.Source);
        var destinationId = checks.Destination is null ? Resumption.NotCreatedYet : JobStart.TableId(checks.Destination, settings.Destination);
        var job = new JobIdentity("copy", sourceId, destinationId, settings.Segments ?? 0, settings.Section, settings.TotalSections,
            ShapedJob.Options(settings.Follow?.Identity, settings.Shape));
        var earlier = files.Earlier(job, settings.Segments is not null, logger,
            checks.Destination is null ? (settings.DestinationTable, settings.Destination) : null);
        return new ResumeState(files.CheckpointPath, earlier, sourceId);
    }

    private sealed record ResumeState(string Path, Checkpoint? Earlier, string SourceId);

    private static TableInfo Boosted(TableInfo destination, CopySettings settings) =>
        settings.BoostWriteCapacity is { } wcu && !destination.IsOnDemand && wcu > destination.WriteCapacityUnits
            ? CapacityBoost.Boosted(destination, wcu)
            : destination;

    private async Task<TransferSummary> BoostAndCopyAsync(CopySettings settings, TableInfo source, TableInfo destination,
        IAmazonDynamoDB sourceClient, IAmazonDynamoDB destinationClient, JobFiles files, ResumeState resume, ILogger logger,
        IProgressObserver? observer, StopSignals stop)
    {
        Log.SourceTable(logger, source.Name, settings.Source.ToString(), source.BillingModeName, source.ItemCount, source.SizeBytes, source.DescribeKey());
        if (settings.TotalSections > 1)
        {
            Log.Section(logger, settings.Section, settings.TotalSections, settings.SectionFrom);
        }

        Log.DestinationTable(logger, destination.Name, settings.Destination.ToString(), destination.BillingModeName, destination.GlobalSecondaryIndexes.Count);

        // The checkpoint exists before the table is boosted, so a run killed while it is boosted leaves what to restore.
        var segments = CapacityPlanner.Plan(settings.ReadRequest, settings.WriteRequest, settings.Rate, source, Boosted(destination, settings), Environment.ProcessorCount).Read;
        var job = new JobIdentity("copy", resume.SourceId, JobStart.TableId(destination, settings.Destination), segments.TotalSegments, settings.Section,
            settings.TotalSections, ShapedJob.Options(settings.Follow?.Identity, settings.Shape));
        var checkpoint = JobStart.Begin(resume.Path, resume.Earlier, job, settings.Follow?.FollowOnly == true ? [] : segments.Segments, files.DeadLetters.Path,
            settings.Shape.Any ? files.Rejects.Path : null, timeProvider, logger);

        var boost = new CapacityBoost(destinationClient, timeProvider, logger);
        var original = checkpoint.BoostedFrom?.ToSnapshot(); // an earlier run's boost, never restored
        if (settings.BoostWriteCapacity is { } wcu)
        {
            original = await boost.RaiseAsync(settings.DestinationTable, wcu, stop.Hard, before => checkpoint.RecordBoost(CapacityRecord.Of(before)))
                ?? original;
        }

        try
        {
            var planned = settings.BoostWriteCapacity is { } boosted && original is not null ? CapacityBoost.Boosted(destination, boosted) : destination;
            return await CopyAsync(settings, source, planned, sourceClient, destinationClient, files, checkpoint, logger, observer, stop);
        }
        finally
        {
            // Even after a failure or Ctrl+C: a boosted table costs money every hour.
            if (original is not null && await boost.RestoreAsync(settings.DestinationTable, original))
            {
                checkpoint.RecordBoost(null);
            }
        }
    }

    private async Task<TransferSummary> CopyAsync(CopySettings settings, TableInfo source, TableInfo destination,
        IAmazonDynamoDB sourceClient, IAmazonDynamoDB destinationClient, JobFiles files, JobCheckpoint checkpoint, ILogger logger,
        IProgressObserver? observer, StopSignals stop)
    {
        var plan = CapacityPlanner.Plan(settings.ReadRequest, settings.WriteRequest, settings.Rate, source, destination, Environment.ProcessorCount);
        Log.ReadRate(logger, plan.ReadUnitsPerSecond, plan.ReadRateReason);
        Log.WriteRate(logger, plan.WriteUnitsPerSecond, plan.WriteRateReason);
        foreach (var (what, unit, start, ceiling) in new[] { ("read", "RCU", plan.ReadUnitsPerSecond, plan.ReadAdaptiveCeiling), ("write", "WCU", plan.WriteUnitsPerSecond, plan.WriteAdaptiveCeiling) })
        {
            if (ceiling is { } most)
            {
                Log.RateChanged(logger, what, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"starts at {start:0.#} {unit}/s, follows throttling, never above {most:0.#} {unit}/s (--rate fixed keeps the budget)"));
            }
        }
        Log.Segments(logger, plan.Segments.Count, plan.TotalSegments, plan.Write.InFlightCap,
            (plan.ScanPageLimit is { } limit ? $", pages of at most {limit} items" : "")
            + (plan.BatchItems < BatchSplitter.MaxItemsPerBatch ? $", batches of at most {plan.BatchItems} items" : ""));
        observer?.PlanReady(new ProgressPlan(plan.ReadUnitsPerSecond, plan.WriteUnitsPerSecond,
            ProgressPlan.ShareOf(source.ItemCount, plan.Segments.Count, plan.TotalSegments)));

        if (settings.Follow is { } sectioned && settings.TotalSections > 1)
        {
            await SectionFollower.RecordStreamAsync(settings, sectioned, source, sourceClient, checkpoint, timeProvider, logger, stop.Hard);
            return await ScanAsync(settings, plan, source, destination, sourceClient, destinationClient, files, checkpoint, logger, observer, stop);
        }

        if (settings.Follow is { } follow)
        {
            return await FollowingCopy.RunAsync(settings, follow, source, plan, sourceClient, destinationClient, files.DeadLetters, checkpoint, observer, stop,
                timeProvider, logger, _clients, scanStop => ScanAsync(settings, plan, source, destination, sourceClient, destinationClient, files, checkpoint, logger, observer, scanStop));
        }

        return await ScanAsync(settings, plan, source, destination, sourceClient, destinationClient, files, checkpoint, logger, observer, stop);
    }

    /// <summary>The bulk copy: a segmented scan of the source into BatchWriteItem writers.</summary>
    private async Task<TransferSummary> ScanAsync(CopySettings settings, CopyPlan plan, TableInfo source, TableInfo destination, IAmazonDynamoDB sourceClient,
        IAmazonDynamoDB destinationClient, JobFiles files, JobCheckpoint checkpoint, ILogger logger, IProgressObserver? observer, StopSignals stop)
    {
        var options = new TransferOptions { SourceTable = settings.SourceTable, DestinationTable = settings.DestinationTable, MaxRetries = settings.MaxRetries };
        var target = new DynamoDbBatchWriteTarget(destinationClient, settings.DestinationTable, destination.Key.Select(k => k.Name).ToList());
        await using var sink = new DynamoDbSink(target, plan.Write, options, files.DeadLetters, timeProvider, logger);
        var scan = new SegmentedScanSource(new DynamoDbScanPageReader(sourceClient, settings.SourceTable, settings.ConsistentScan, settings.Shape.ScanFilter()),
            plan.Read, options, timeProvider, logger);
        var shaper = new ItemShaper(settings.Shape, source.Key.Select(k => k.Name).ToList(), filterHere: false);
        var rejects = files.Rejects;
        var transfer = new TransferJob(
            ShapedJob.Source(scan, shaper, new ShapeRejects(rejects, $"table {settings.SourceTable}", logger), settings.Shape, logger),
            sink,
            options,
            timeProvider,
            logger,
            observer,
            checkpoint);
        var summary = await transfer.RunAsync(stop);
        return ShapedJob.Finish(summary, settings.Shape, rejects) with { ReadRate = scan.AdaptiveRate, WriteRate = sink.AdaptiveRate };
    }
}
