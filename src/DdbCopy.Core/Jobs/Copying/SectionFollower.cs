using Amazon.DynamoDBv2;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Engine.Checkpoints;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Shaping;
using DdbCopy.Core.Sources.Streams;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Jobs.Copying;

/// <summary>
/// A copy in sections that follows its source: every process runs the same command line, sections 0 … N-1 scan their
/// shares, and section N (--section follow) is the follower. Each section makes sure the source has a stream before
/// its scan and records that stream in its checkpoint. The follower reads the stream into its spool from the oldest
/// record every shard holds (so it may start before, with or after the sections, within the stream's 24 hours), waits
/// until every section's checkpoint says its scan finished, then applies the changes in order per key and follows on:
/// an item a section wrote from an old image has a newer change in the spool (applied after the scans, so it wins),
/// and a key deleted during a scan has its delete there too. Changes older than every section's scan are passed over.
/// </summary>
internal static class SectionFollower
{
    /// <summary>A section of a followed copy: the source's stream (enabled first with --enableSourceStream), recorded in its checkpoint before the scan.</summary>
    public static async Task RecordStreamAsync(CopySettings settings, FollowSettings follow, TableInfo source, IAmazonDynamoDB sourceClient,
        JobCheckpoint checkpoint, TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken)
    {
        var streamArn = follow.EnableSourceStream
            ? await FollowPreflight.EnableAsync(sourceClient, settings.SourceTable, timeProvider, logger, cancellationToken)
            : source.LatestStreamArn!;
        if (StreamCheckpoint.Section.Of(checkpoint) is { } earlier && earlier.StreamArn != streamArn)
        {
            throw new DdbCopyException(FailureKind.Environment,
                $"This section began while the source's stream was {earlier.StreamArn}; the table has {streamArn} now: the stream was disabled and enabled "
                + "again, so changes in between were not recorded. Start the whole job again (sections and follower, without --resume).");
        }

        StreamCheckpoint.Section.Record(checkpoint, new SectionStreamCheckpoint(streamArn));
        Log.Follow(logger, $"Section {settings.Section} of {settings.TotalSections} of a followed copy: the follower (--section follow) applies the changes {streamArn} records during the scans");
    }

    /// <summary>The follower (section N of N).</summary>
    public static async Task<TransferSummary> RunAsync(CopySettings settings, FollowSettings follow, CopyChecks checks, IAmazonDynamoDB sourceClient,
        IAmazonDynamoDB destinationClient, JobFiles files, Checkpoint? earlier, string sourceId, IProgressObserver? observer, StopSignals stop,
        TimeProvider timeProvider, ILogger logger, IJobClients clients)
    {
        var source = checks.Source;
        if (follow.EnableSourceStream)
        {
            source = source with { LatestStreamArn = await FollowPreflight.EnableAsync(sourceClient, settings.SourceTable, timeProvider, logger, stop.Hard) };
            follow = follow with { EnableSourceStream = false };
        }

        Log.Follow(logger, $"The follower of a copy in {settings.TotalSections} sections ({settings.SectionFrom}): it reads the source's stream while the "
            + "sections scan, and applies the changes once every section has finished");

        // The sections create the destination when asked to; the follower never changes a table's definition. It writes
        // only after every section finished, with the whole job's write budget.
        var destination = checks.Destination ?? TableInspector.FromDefinition(checks.ToCreate!);
        var whole = settings with { TotalSections = 1, Section = 0 };
        var plan = CapacityPlanner.Plan(whole.ReadRequest, whole.WriteRequest, settings.Rate, source, destination, Environment.ProcessorCount);
        var destinationId = checks.Destination is null ? Resumption.NotCreatedYet : JobStart.TableId(checks.Destination, settings.Destination);
        var job = new JobIdentity("copy", sourceId, destinationId, 1, settings.Section, settings.TotalSections, ShapedJob.Options(follow.Identity, settings.Shape));
        var checkpoint = JobStart.Begin(files.CheckpointPath, earlier, job, [], files.DeadLetters.Path, null, timeProvider, logger);
        var readingSince = StreamCheckpoint.Follow.Of(earlier)?.Started ?? timeProvider.GetUtcNow();
        var watch = new SectionWatch(SectionCheckpoints(settings), sourceId, source.LatestStreamArn!, readingSince, timeProvider, logger);
        DateTimeOffset? earliest = null;
        return await FollowingCopy.RunAsync(settings, follow, source, plan, sourceClient, destinationClient, files.DeadLetters, checkpoint, observer, stop,
            timeProvider, logger, clients,
            async signals =>
            {
                using var saverStop = new CancellationTokenSource();
                var saver = checkpoint.RunSaverAsync(saverStop.Token); // the spool's progress, while the sections scan
                try
                {
                    earliest = await watch.WaitAsync(signals.Graceful);
                }
                finally
                {
                    await saverStop.CancelAsync();
                    await saver;
                }

                var waited = TransferSummary.From(new TransferCounters(), TimeSpan.Zero) with { CheckpointFile = checkpoint.Path };
                if (earliest is null)
                {
                    checkpoint.SaveLast(failed: false, stopped: true);
                    return waited with { Interrupted = true };
                }

                return waited;
            },
            new FollowStart(FromOldest: true, () => earliest - SectionWatch.ClockMargin));
    }

    /// <summary>Where each section keeps its checkpoint: --checkpointFile with {section} replaced, or each one's default path.</summary>
    public static IReadOnlyList<string> SectionCheckpoints(CopySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Enumerable.Range(0, settings.TotalSections)
            .Select(i => settings.CheckpointTemplate is { } template
                ? CheckpointFile.ForSection(template, i, settings.TotalSections)
                : CheckpointFile.DefaultPath("copy", settings.SourceTable, settings.DestinationTable, i, settings.TotalSections))
            .ToList();
    }
}
