using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine.Checkpoints;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Sinks.Changes;
using DdbCopy.Core.Sources.Streams;
using Microsoft.Extensions.Logging;
using Polly;

namespace DdbCopy.Core.Jobs.Copying;

/// <summary>
/// Follows a source table's stream for a copy: from before the scan starts, the stream is read into the change spool
/// while the scan runs; after the scan, the spooled changes are applied in order per key, then new ones as they
/// come. Whatever the interleaving, the destination converges to the source: an item the scan wrote from an old image
/// has a newer change in the spool (applied after the scan, so it wins), and a key deleted during the scan has its
/// delete in the spool too. A change applied twice (after a resume) changes nothing, since the newer ones follow it.
/// </summary>
public sealed class StreamFollower : ILiveCheckpointPart, IAsyncDisposable
{
    /// <summary>A reader that found nothing new within this long counts as caught up for the lag.</summary>
    private static readonly TimeSpan FreshRead = TimeSpan.FromSeconds(5);

    private readonly ChangeSpool _spool;
    private readonly ChangeStreamReader _reader;
    private readonly DateTimeOffset _started;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _readStop = new();
    private readonly Task _reading;
    private readonly SpoolPosition _appliedBefore;
    private ChangeApplier? _applier;
    private volatile bool _finished;
    private volatile bool _caughtUp;

    private StreamFollower(string streamArn, ChangeSpool spool, Func<IChangePageSink, ChangeStreamReader> reader, DateTimeOffset started,
        SpoolPosition applied, FollowCounters counters, TimeProvider timeProvider, ILogger logger)
    {
        StreamArn = streamArn;
        _spool = spool;
        _reader = reader(spool);
        _started = started;
        _appliedBefore = applied;
        Counters = counters;
        _time = timeProvider;
        _logger = logger;
        _reading = Task.Run(() => _reader.RunAsync(_readStop.Token));
    }

    public string StreamArn { get; }

    public FollowCounters Counters { get; }

    /// <summary>Fails (with a <see cref="DdbCopyException"/>) when the stream cannot be read on; the copy stops then.</summary>
    public Task Reading => _reading;

    public bool Finished => _finished;

    /// <summary>The stream's part of the checkpoint (see <see cref="StreamCheckpoint"/>).</summary>
    public string Name => StreamCheckpoint.Follow.Name;

    public long Version => _spool.Version + Counters.Applied + Counters.Skipped + Counters.DeadLettered + (_finished ? 1 : 0);

    /// <summary>
    /// Starts reading the stream into the spool: a new job from the open shards' ends now (before the scan), or with
    /// <paramref name="fromOldest"/> from the oldest record every shard holds (a sectioned copy's follower, which may
    /// start after the sections); a resumed one from its checkpoint's positions, refused when those may be older than
    /// the stream keeps records.
    /// </summary>
    public static async Task<StreamFollower> StartAsync(IStreamsClient client, string streamArn, FollowCheckpoint? earlier, string spoolDirectory,
        ResiliencePipeline retry, StreamReadOptions options, TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken,
        bool fromOldest = false)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var now = timeProvider.GetUtcNow();
        if (earlier is null && fromOldest)
        {
            var shards = await ChangeStreamReader.DescribeAllAsync(client, streamArn, retry, cancellationToken);
            var oldest = shards.Select(s => new ShardPosition(s.ShardId, s.ParentShardId, null, false, now)).ToList();
            var spool = ChangeSpool.Open(spoolDirectory, new SpoolPosition(0, 0), oldest, 0);
            Log.Follow(logger, $"Following {streamArn} from the oldest record it holds ({oldest.Count} shards); its changes are spooled in {spool.Directory} until they are applied");
            return new StreamFollower(streamArn, spool,
                sink => new ChangeStreamReader(client, streamArn, oldest, null, retry, sink, options, timeProvider, logger),
                now, new SpoolPosition(0, 0), new FollowCounters(), timeProvider, logger);
        }

        if (earlier is null)
        {
            var (positions, iterators) = await ChangeStreamReader.TakeStartAsync(client, streamArn, retry, timeProvider, cancellationToken);
            var spool = ChangeSpool.Open(spoolDirectory, new SpoolPosition(0, 0), positions, 0);
            Log.Follow(logger, $"Following {streamArn} from now ({positions.Count} open shards); its changes are spooled in {spool.Directory} until they are applied");
            return new StreamFollower(streamArn, spool,
                sink => new ChangeStreamReader(client, streamArn, positions, iterators, retry, sink, options, timeProvider, logger),
                now, new SpoolPosition(0, 0), new FollowCounters(), timeProvider, logger);
        }

        CheckResume(earlier, streamArn, now);
        var resumed = ChangeSpool.Open(earlier.SpoolDirectory, new SpoolPosition(earlier.SpoolSegment, earlier.SpoolOffset), earlier.Shards,
            earlier.StreamRecords);
        var applied = new SpoolPosition(earlier.AppliedSegment, earlier.AppliedOffset);
        Log.Follow(logger, $"Following {streamArn} on from the checkpoint ({earlier.Shards.Count(s => !s.Done)} shards); "
            + $"{earlier.StreamRecords - earlier.Applied - earlier.Skipped - earlier.DeadLettered} spooled changes to apply first");
        return new StreamFollower(streamArn, resumed,
            sink => new ChangeStreamReader(client, streamArn, earlier.Shards, null, retry, sink, options, timeProvider, logger),
            earlier.Started, applied, new FollowCounters(earlier.Applied, earlier.Skipped, earlier.DeadLettered), timeProvider, logger);
    }

    /// <summary>
    /// Cancels <paramref name="source"/> when the reader ends (it only ends by failing, or when told to stop), so
    /// whatever waits on it (the scan, the applier) stops instead of waiting for changes that will not come.
    /// </summary>
    public void CancelWhenReadingEnds(CancellationTokenSource source) =>
        _ = _reading.ContinueWith(_ =>
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Its owner is done already.
            }
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    /// <summary>
    /// Refuses to follow on from <paramref name="earlier"/> when the table's stream is another one now (disabled and
    /// enabled again: the changes in between were never recorded), or when records it still needs may be older than
    /// the stream keeps. Checked before anything changes.
    /// </summary>
    public static void CheckResume(FollowCheckpoint earlier, string? streamArn, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        if (streamArn is not null && earlier.StreamArn != streamArn)
        {
            throw new DdbCopyException(FailureKind.Environment,
                $"The source's stream is not the one this job followed (the checkpoint has {earlier.StreamArn}, the table now has {streamArn}): "
                + "the stream was disabled and enabled again, so changes in between were not recorded. Start a new copy (without --resume).");
        }

        if (earlier.Shards.FirstOrDefault(s => s.MayBeTrimmed(now, ChangeStreamReader.Retention)) is { } old)
        {
            throw ChangeStreamReader.Trimmed(old, null, FailureKind.Environment);
        }
    }

    /// <summary>
    /// Applies the spooled changes, then new ones as they come, until <paramref name="stop"/> (Ctrl+C), or with
    /// <paramref name="stopWhenCaughtUp"/> once everything recorded before this call is applied.
    /// </summary>
    /// <returns>True when it ended caught up.</returns>
    public async Task<bool> ApplyAsync(IChangeTarget target, ApplyOptions options, CapacityBucket budget, WriteCostModel cost, ResiliencePipeline retry,
        DeadLetterFile deadLetters, IRateFeedback? feedback, bool stopWhenCaughtUp, StopSignals stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        var since = _time.GetUtcNow();
        _reader.DiscoverNow(); // caught up needs the shard list read after this moment
        _applier = new ChangeApplier(_spool, target, options, budget, cost, retry, deadLetters, Counters, _time, _logger, feedback);
        Log.Follow(_logger, stopWhenCaughtUp
            ? "Scan done: applying the changes recorded since the copy began, until caught up"
            : "Scan done: applying the changes recorded since the copy began, then following the stream until Ctrl+C");
        using var readFailed = CancellationTokenSource.CreateLinkedTokenSource(stop.Graceful);
        CancelWhenReadingEnds(readFailed);
        var applying = _applier.RunAsync(_appliedBefore, at => stopWhenCaughtUp && CaughtUp(since, at), readFailed.Token, stop.Hard);
        try
        {
            await applying;
        }
        finally
        {
            if (_reading.IsCompleted && !_readStop.IsCancellationRequested)
            {
                await _reading; // the stream's failure is the run's (a reader that ends without being told to has failed)
            }
        }

        var caughtUp = stopWhenCaughtUp && _caughtUp && !stop.Graceful.IsCancellationRequested && !stop.Hard.IsCancellationRequested;
        if (caughtUp)
        {
            Log.Follow(_logger, "Caught up with the source's stream: stopping (--stopWhenCaughtUp)");
            _finished = true;
        }

        return caughtUp;
    }

    /// <summary>Every change recorded before <paramref name="since"/> is read, and everything read is applied.</summary>
    private bool CaughtUp(DateTimeOffset since, SpoolPosition read)
    {
        // The reader first (it appends before it reports a shard caught up), then what it wrote.
        var reader = _reader.CaughtUpSince(since);
        _caughtUp = reader && read >= _spool.Written;
        return _caughtUp;
    }

    public FollowSummary Summary()
    {
        var now = _time.GetUtcNow();
        var snapshot = _spool.Snapshot();
        var done = Counters.Applied + Counters.Skipped + Counters.DeadLettered;
        var pending = Math.Max(0, snapshot.Records - done);
        var fresh = _reader.CaughtUpSince(now - FreshRead, knownShards: true);
        var lag = fresh && pending == 0 ? 0 : Counters.LastApplied is { } last ? Math.Max(0, (now - last).TotalSeconds) : (now - _started).TotalSeconds;
        return new FollowSummary(StreamArn, snapshot.Records, Counters.Applied, Counters.Skipped, Counters.DeadLettered, pending, Math.Round(lag, 1),
            _reader.ActiveShards, _applier is not null, _caughtUp || (_applier is not null && fresh && pending == 0));
    }

    public FollowCheckpoint Snapshot()
    {
        var spooled = _spool.Snapshot();
        var applied = _applier?.Applied ?? _appliedBefore;
        return new FollowCheckpoint
        {
            StreamArn = StreamArn,
            Started = _started,
            SpoolDirectory = _spool.Directory,
            Shards = spooled.Shards,
            SpoolSegment = spooled.Written.Segment,
            SpoolOffset = spooled.Written.Offset,
            AppliedSegment = applied.Segment,
            AppliedOffset = applied.Offset,
            StreamRecords = spooled.Records,
            Applied = Counters.Applied,
            Skipped = Counters.Skipped,
            DeadLettered = Counters.DeadLettered,
            Finished = _finished,
        };
    }

    (System.Text.Json.JsonElement Json, Action Saved) ILiveCheckpointPart.Snapshot()
    {
        var snapshot = Snapshot();
        return (StreamCheckpoint.Follow.ToJson(snapshot), () => Saved(snapshot));
    }

    public void Saved(FollowCheckpoint saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        _spool.DeleteBefore(saved.AppliedSegment);
    }

    /// <summary>Stops reading the stream (the spool keeps what was read).</summary>
    public async Task StopReadingAsync()
    {
        await _readStop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The job finished: the spool is no longer needed.</summary>
    public Task DeleteSpoolAsync() => _spool.DeleteAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopReadingAsync();
        }
        catch (DdbCopyException)
        {
            // Reported where the run ended.
        }

        await _spool.DisposeAsync();
        _readStop.Dispose();
    }
}
