using System.Globalization;
using Amazon.DynamoDBv2;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine.Checkpoints;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Sinks.Changes;
using DdbCopy.Core.Sources.Streams;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Jobs.Copying;

/// <summary>
/// A copy with --follow: the source's stream is read into the change spool from before the scan starts; after the
/// scan, the spooled changes are applied, then new ones, until caught up (--stopWhenCaughtUp) or Ctrl+C. The stream's
/// positions, the spool and how far it is applied are in the copy's checkpoint, so --resume goes on where it stopped.
/// </summary>
internal static class FollowingCopy
{
    /// <param name="scan">The bulk copy (a sectioned copy's follower: the wait until every section's scan is done).</param>
    /// <param name="start">Where a new follower starts reading, and which changes it passes over; null: the stream's ends now, none.</param>
    public static async Task<TransferSummary> RunAsync(CopySettings settings, FollowSettings follow, TableInfo source, CopyPlan plan,
        IAmazonDynamoDB sourceClient, IAmazonDynamoDB destinationClient, DeadLetterFile deadLetters, JobCheckpoint checkpoint, IProgressObserver? observer,
        StopSignals stop, TimeProvider timeProvider, ILogger logger, IJobClients clients, Func<StopSignals, Task<TransferSummary>> scan,
        FollowStart? start = null)
    {
        start ??= FollowStart.Now;
        var started = timeProvider.GetTimestamp();
        var streamArn = follow.EnableSourceStream
            ? await FollowPreflight.EnableAsync(sourceClient, settings.SourceTable, timeProvider, logger, stop.Hard)
            : source.LatestStreamArn!;
        using var watch = new EndpointWatch("source stream", settings.Source.Endpoint.ToString(), settings.RequestTimeout, EndpointWatch.DefaultLostAfter,
            timeProvider, logger);
        using var streams = clients.OpenStreams(settings.Source, "source", watch);
        var readRetry = RetryPipelines.Create(settings.MaxRetries, timeProvider, c => Log.Retrying(logger, "stream", c.ToString()));
        await using var follower = await StreamFollower.StartAsync(streams, streamArn, StreamCheckpoint.Follow.Of(checkpoint), follow.SpoolFor(checkpoint.Path), readRetry,
            new StreamReadOptions(), timeProvider, logger, stop.Hard, start.FromOldest);
        checkpoint.Live = follower;
        checkpoint.Save(CheckpointState.Running, force: true); // the positions are kept before the scan starts

        // The bulk copy, stopped early when the stream cannot be read (its changes could not be applied after it).
        using var readFailed = CancellationTokenSource.CreateLinkedTokenSource(stop.Graceful);
        follower.CancelWhenReadingEnds(readFailed);
        var summary = follow.FollowOnly
            ? TransferSummary.From(new TransferCounters(), TimeSpan.Zero) with { CheckpointFile = checkpoint.Path }
            : await scan(new StopSignals(readFailed.Token, stop.Hard));
        if (follower.Reading.IsCompleted)
        {
            var error = StreamError(follower.Reading);
            Log.Fatal(logger, error);
            checkpoint.SaveLast(failed: true, stopped: false);
            return summary with { Follow = follower.Summary(), Error = error, Interrupted = false };
        }

        if (summary.Interrupted || summary.Error is not null)
        {
            return summary with { Follow = follower.Summary() }; // the scan's end is saved; a resume goes on with both
        }

        return await ApplyAsync(settings, follow, plan, destinationClient, deadLetters, checkpoint, observer, stop, timeProvider, logger, follower, summary,
            started, start.SkipBefore());
    }

    private static async Task<TransferSummary> ApplyAsync(CopySettings settings, FollowSettings follow, CopyPlan plan, IAmazonDynamoDB destinationClient,
        DeadLetterFile deadLetters, JobCheckpoint checkpoint, IProgressObserver? observer, StopSignals stop, TimeProvider timeProvider, ILogger logger,
        StreamFollower follower, TransferSummary scanned, long started, DateTimeOffset? skipBefore)
    {
        using var budget = new CapacityBucket(plan.WriteUnitsPerSecond, timeProvider);
        using var adaptive = plan.WriteAdaptiveCeiling is { } ceiling ? new AdaptiveRate(budget, ceiling, "write", "WCU", timeProvider, logger) : null;
        var retry = RetryPipelines.Create(settings.MaxRetries, timeProvider, c => Log.Retrying(logger, "stream change", c.ToString()));
        var target = new DynamoDbChangeTarget(destinationClient, settings.DestinationTable, follow.ConflictAttribute);
        using var saverStop = new CancellationTokenSource();
        var saver = checkpoint.RunSaverAsync(saverStop.Token);
        var writesBefore = follower.Counters.ConsumedWriteUnits;
        TransferSummary Current() => Merge(scanned, follower, deadLetters, timeProvider.GetElapsedTime(started));
        using var progress = observer is null
            ? null
            : timeProvider.CreateTimer(_ => observer.Progress(Current()), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        string? error = null;
        var caughtUp = false;
        try
        {
            caughtUp = await follower.ApplyAsync(target, new ApplyOptions(follow.Lanes, settings.MaxRetries, skipBefore), budget, plan.WriteCost, retry, deadLetters,
                adaptive, follow.StopWhenCaughtUp, stop);
        }
        catch (DdbCopyException ex)
        {
            error = ex.Message;
            Log.Fatal(logger, error);
        }

        try
        {
            await follower.StopReadingAsync();
        }
        catch (DdbCopyException ex) when (error is null)
        {
            error = ex.Message;
            Log.Fatal(logger, error);
        }

        await saverStop.CancelAsync();
        await saver;
        checkpoint.SaveLast(failed: error is not null, stopped: !caughtUp);
        var summary = Current() with { Error = error ?? scanned.Error };
        observer?.Progress(summary);
        Log.Follow(logger, string.Create(CultureInfo.InvariantCulture,
            $"Stream: {summary.Follow!.StreamRecords} records read, {summary.Follow.Applied} applied, {summary.Follow.Skipped} skipped as older, {summary.Follow.DeadLettered} dead-lettered, "
            + $"{follower.Counters.ConsumedWriteUnits - writesBefore:0.#} WCU"));
        if (caughtUp && error is null && summary.Follow.DeadLettered == 0)
        {
            await follower.DeleteSpoolAsync();
        }

        return summary;
    }

    /// <summary>The scan's summary with what following added: the stream's counts, its dead letters and writes, the whole run's time.</summary>
    private static TransferSummary Merge(TransferSummary scanned, StreamFollower follower, DeadLetterFile deadLetters, TimeSpan elapsed) =>
        scanned with
        {
            Follow = follower.Summary(),
            DeadLetterFile = deadLetters.Count > 0 ? deadLetters.Path : scanned.DeadLetterFile,
            ConsumedWriteCapacity = scanned.ConsumedWriteCapacity + follower.Counters.ConsumedWriteUnits,
            Retries = scanned.Retries + follower.Counters.Retries,
            ThrottledRequests = scanned.ThrottledRequests + follower.Counters.ThrottledRequests,
            DurationSeconds = Math.Round(elapsed.TotalSeconds, 3),
        };

    private static string StreamError(Task reading) =>
        reading.Exception?.InnerException is DdbCopyException known ? known.Message
            : $"Reading the source's stream stopped: {reading.Exception?.InnerException?.Message ?? "it ended before it was told to"}";

}

/// <summary>
/// Where a new follower starts reading the stream, and the time before which a change is passed over: a copy's own
/// follower from the open shards' ends now, passing over nothing; a sectioned copy's from the oldest record each
/// shard holds, passing over what is older than every section's scan.
/// </summary>
internal sealed record FollowStart(bool FromOldest, Func<DateTimeOffset?> SkipBefore)
{
    public static FollowStart Now { get; } = new(false, () => null);
}
