namespace DdbCopy.Core.Engine;

/// <summary>The outcome of a copy, or a snapshot of one still running.</summary>
public sealed record TransferSummary
{
    public long Scanned { get; init; }
    public long Written { get; init; }

    /// <summary>Items given up after every retry (each is also in the dead-letter file).</summary>
    public long Failed { get; init; }

    /// <summary>Items recorded in the dead-letter file: failed ones, and ones not confirmed when a copy was stopped.</summary>
    public long DeadLettered { get; init; }

    /// <summary>Where the dead-letter file is, when anything was recorded in it.</summary>
    public string? DeadLetterFile { get; init; }

    /// <summary>Input lines that were not items (import only); each is logged with its line number.</summary>
    public long Rejected { get; init; }

    /// <summary>Where the rejected input records are (import only), when there are any.</summary>
    public string? RejectFile { get; init; }

    /// <summary>Read items the filter left out (counted in <see cref="Scanned"/>).</summary>
    public long Filtered { get; init; }

    /// <summary>Items given to the --transform process, and items it gave back.</summary>
    public long TransformIn { get; init; }

    public long TransformOut { get; init; }

    /// <summary>Items to be written: the ones read, less the filtered ones, with what the transform made of its input.</summary>
    public long ToWrite => Scanned - Filtered - TransformIn + TransformOut;

    /// <summary>Items to be written neither confirmed written nor recorded as dead letters.</summary>
    public long Unconfirmed => Math.Max(0, ToWrite - Written - DeadLettered);

    /// <summary>Items settled by earlier runs of a resumed job (included in the other counts).</summary>
    public long Resumed { get; init; }

    /// <summary>The job's checkpoint file, when it has one.</summary>
    public string? CheckpointFile { get; init; }

    /// <summary>An adaptive read rate's time-weighted mean and peak (RCU/s), when the read rate adapted.</summary>
    public (double Mean, double Peak)? ReadRate { get; init; }

    /// <summary>An adaptive write rate's mean and peak (WCU/s), when the write rate adapted.</summary>
    public (double Mean, double Peak)? WriteRate { get; init; }

    /// <summary>What limited the write rate since the previous snapshot (a table sink); null otherwise.</summary>
    public Capacity.RateLimitReading? LimitedBy { get; init; }

    /// <summary>The share of the run's time each cause limited the write rate, largest first (a table sink); null otherwise.</summary>
    public IReadOnlyList<(Capacity.RateLimit By, double Share)>? LimitShares { get; init; }

    public long Retries { get; init; }
    public long ThrottledRequests { get; init; }
    public double DurationSeconds { get; init; }
    public double ConsumedReadCapacity { get; init; }
    public double ConsumedWriteCapacity { get; init; }

    /// <summary>True when the scan was stopped by the user before it reached the end.</summary>
    public bool Interrupted { get; init; }

    /// <summary>The fatal error that stopped the copy, if any.</summary>
    public string? Error { get; init; }

    /// <summary>A copy with --follow: what following the source's stream came to.</summary>
    public FollowSummary? Follow { get; init; }

    /// <summary>True when every segment was scanned to its end and every item read and not filtered out was written (and every stream change applied).</summary>
    public bool Complete => !Interrupted && Error is null && Written == ToWrite && Rejected == 0 && (Follow?.DeadLettered ?? 0) == 0;

    public static TransferSummary From(TransferCounters counters, TimeSpan elapsed, bool interrupted = false, string? error = null,
        string? deadLetterFile = null)
    {
        ArgumentNullException.ThrowIfNull(counters);
        return new TransferSummary
        {
            Scanned = counters.Scanned,
            Written = counters.Written,
            Failed = counters.Failed,
            DeadLettered = counters.DeadLettered,
            Rejected = counters.Rejected,
            Filtered = counters.Filtered,
            TransformIn = counters.TransformIn,
            TransformOut = counters.TransformOut,
            DeadLetterFile = deadLetterFile,
            Retries = counters.Retries,
            ThrottledRequests = counters.ThrottledRequests,
            DurationSeconds = Math.Round(elapsed.TotalSeconds, 3),
            ConsumedReadCapacity = counters.ConsumedReadUnits,
            ConsumedWriteCapacity = counters.ConsumedWriteUnits,
            Interrupted = interrupted,
            Error = error,
        };
    }
}
