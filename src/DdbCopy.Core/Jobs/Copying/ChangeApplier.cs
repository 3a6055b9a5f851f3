using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Text;
using System.Threading.Channels;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Sinks.Changes;
using DdbCopy.Core.Sources.Streams;
using Microsoft.Extensions.Logging;
using Polly;

namespace DdbCopy.Core.Jobs.Copying;

/// <summary>
/// How changes are applied: how many lanes write at once, the retry budget, and (a sectioned copy's follower) the time
/// before which a change is older than every section's scan, so that scan read it or something newer: passed over.
/// </summary>
public sealed record ApplyOptions(int Lanes, int MaxRetries, DateTimeOffset? SkipBefore = null);

/// <summary>
/// Applies the spooled changes in order per key: each key always goes to the same lane, and a lane writes its changes
/// one after another, so a key's changes land in the order the stream recorded them (the stream keeps a key's records
/// in order within its shard, and parents are read before their children). Every write pays the write budget first,
/// is retried on throttling and passing faults, and is recorded in the dead-letter file when it cannot be written.
/// The applied position (<see cref="Applied"/>) is the start of the oldest change not yet finished, so a resumed run
/// applies again only what may not have been written.
/// </summary>
public sealed class ChangeApplier(
    ChangeSpool spool,
    IChangeTarget target,
    ApplyOptions options,
    CapacityBucket budget,
    WriteCostModel cost,
    ResiliencePipeline retry,
    DeadLetterFile deadLetters,
    FollowCounters counters,
    TimeProvider timeProvider,
    ILogger logger,
    IRateFeedback? feedback = null)
{
    private readonly ChangeWriter _writer = new(target, budget, cost, retry, options.MaxRetries, deadLetters, counters, logger, feedback);
    private readonly Lock _gate = new();
    private ConcurrentQueue<SpoolPosition>[] _pending = [];
    private SpoolPosition _dispatched;
    private long _inFlight;

    /// <summary>Everything before this position is applied (or recorded as a dead letter).</summary>
    public SpoolPosition Applied
    {
        get
        {
            SpoolPosition applied;
            lock (_gate)
            {
                applied = _dispatched;
            }

            foreach (var lane in _pending)
            {
                if (lane.TryPeek(out var oldest) && oldest < applied)
                {
                    applied = oldest;
                }
            }

            return applied;
        }
    }

    /// <summary>Changes read from the spool and not yet finished.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>
    /// Applies from <paramref name="from"/> until <paramref name="stop"/>, or until <paramref name="finished"/> says so
    /// (asked only while nothing is in flight, with the position read up to). <paramref name="abort"/> cancels the writes in flight.
    /// </summary>
    public async Task RunAsync(SpoolPosition from, Func<SpoolPosition, bool> finished, CancellationToken stop, CancellationToken abort)
    {
        ArgumentNullException.ThrowIfNull(finished);
        var laneCount = Math.Max(1, options.Lanes);
        _pending = Enumerable.Range(0, laneCount).Select(_ => new ConcurrentQueue<SpoolPosition>()).ToArray();
        lock (_gate)
        {
            _dispatched = from;
        }

        using var failed = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var lanes = Enumerable.Range(0, laneCount).Select(_ => Channel.CreateBounded<ChangeRecord>(64)).ToArray();
        var workers = Enumerable.Range(0, laneCount).Select(i => RunLaneAsync(lanes[i].Reader, _pending[i], failed)).ToList();
        using var cursor = new SpoolCursor(spool, from);
        try
        {
            while (!stop.IsCancellationRequested && !failed.IsCancellationRequested)
            {
                var start = cursor.Position;
                if (cursor.TryRead(out var line))
                {
                    var (_, change) = ChangeSpool.ReadLine(line.Span);
                    if (change.Created < options.SkipBefore)
                    {
                        counters.AddApplied(written: false, change.Created);
                        lock (_gate)
                        {
                            _dispatched = cursor.Position;
                        }

                        continue;
                    }

                    var lane = (int)(XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(ChangeRecord.KeyText(change.Keys))) % (ulong)laneCount);
                    _pending[lane].Enqueue(start);
                    Interlocked.Increment(ref _inFlight);
                    lock (_gate)
                    {
                        _dispatched = cursor.Position;
                    }

                    await lanes[lane].Writer.WriteAsync(change, failed.Token);
                    continue;
                }

                if (Interlocked.Read(ref _inFlight) == 0 && finished(cursor.Position))
                {
                    break;
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop, failed.Token);
                await Task.WhenAny(spool.WaitBeyondAsync(cursor.Position, wait.Token), Task.Delay(TimeSpan.FromMilliseconds(200), timeProvider, wait.Token));
                await wait.CancelAsync();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested || failed.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var lane in lanes)
            {
                lane.Writer.TryComplete();
            }

            await Task.WhenAll(workers.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        // A lane's fatal error is the run's.
        foreach (var worker in workers)
        {
            await worker;
        }
    }

    private async Task RunLaneAsync(ChannelReader<ChangeRecord> changes, ConcurrentQueue<SpoolPosition> pending, CancellationTokenSource failed)
    {
        await Task.Yield();
        try
        {
            await foreach (var change in changes.ReadAllAsync(failed.Token))
            {
                await _writer.ApplyAsync(change, failed.Token);
                pending.TryDequeue(out _);
                Interlocked.Decrement(ref _inFlight);
            }
        }
        catch (OperationCanceledException) when (failed.IsCancellationRequested)
        {
            // Stopped hard: what was not finished stays after the applied position and is applied by a resumed run.
        }
        catch
        {
            await failed.CancelAsync();
            throw;
        }
    }
}
