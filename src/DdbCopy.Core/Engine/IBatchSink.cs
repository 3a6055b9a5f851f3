using System.Threading.Channels;

namespace DdbCopy.Core.Engine;

/// <summary>
/// Where a <see cref="TransferJob"/> puts the batches its source reads: a DynamoDB table, the data files of an
/// export. The job runs <see cref="Workers"/> workers, each draining the queue into its own
/// <see cref="IBatchSinkWorker"/>, and owns the rest (stops, the first error, counting, progress).
/// </summary>
public interface IBatchSink : IAsyncDisposable
{
    /// <summary>How many workers drain the queue at once (at most, when the sink has a <see cref="Gate"/>).</summary>
    int Workers { get; }

    /// <summary>
    /// When set, a worker passes it before it takes a batch and holds it while it writes: the sink sizes how many write at
    /// once (a table sink: from its budget and the round trip), and workers beyond that take no batch.
    /// </summary>
    Capacity.ConcurrencyGate? Gate => null;

    /// <summary>What limits the write rate (a table sink); the job reads it with every progress snapshot.</summary>
    Capacity.RateLimitMeter? RateLimits => null;

    /// <summary>How many batches the bounded queue between the source and the workers holds.</summary>
    int QueueCapacity { get; }

    /// <summary>At most this many items per batch the source makes.</summary>
    int BatchItems { get; }

    /// <summary>
    /// True when each lane's batches must reach one worker, in order (an export: a data file then holds, for every
    /// lane, only pages that follow the ones already committed, so a checkpoint never lists a file whose pages are
    /// read again).
    /// </summary>
    bool KeepsLaneOrder => false;

    /// <summary>Where items the sink could not confirm are recorded, once any are; null otherwise.</summary>
    string? RecordedPath { get; }

    /// <summary>Called once before the first worker is made.</summary>
    void Start(SinkContext context);

    IBatchSinkWorker CreateWorker(int index);

    /// <summary>
    /// After a hard stop or a fatal error: what is still queued was read but will not be written. A sink that can
    /// record it (a copy's dead-letter file) does, so the accounting stays exact.
    /// </summary>
    /// <exception cref="Aws.DdbCopyException">It could not be recorded.</exception>
    Task SettleQueuedAsync(ChannelReader<WriteBatch> queued);
}

/// <summary>One worker of a sink: writes the batches it is given, then finishes (or is disposed on a stop).</summary>
public interface IBatchSinkWorker : IAsyncDisposable
{
    /// <exception cref="Aws.DdbCopyException">The sink failed: the job stops.</exception>
    Task WriteAsync(WriteBatch batch, CancellationToken abort);

    /// <summary>The queue is empty and complete: make everything written so far final.</summary>
    Task FinishAsync(CancellationToken abort);
}

/// <summary>What the job gives its sink: the counters to count in, and how to report a retried request.</summary>
/// <param name="Ledger">The job's checkpoint ledger, when it has one (an export settles its batches in it as files commit).</param>
public sealed record SinkContext(TransferCounters Counters, Action<string, Aws.ErrorClass> OnRetry, Checkpoints.SettleLedger? Ledger = null);
