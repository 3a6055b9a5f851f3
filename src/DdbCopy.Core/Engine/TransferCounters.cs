namespace DdbCopy.Core.Engine;

/// <summary>Thread-safe running totals of a copy. Capacity is kept in tenths of a unit.</summary>
public sealed class TransferCounters
{
    private long _scanned;
    private long _written;
    private long _failed;
    private long _deadLettered;
    private long _rejected;
    private long _filtered;
    private long _transformIn;
    private long _transformOut;
    private long _retries;
    private long _throttled;
    private long _readTenths;
    private long _writeTenths;

    public long Scanned => Interlocked.Read(ref _scanned);
    public long Written => Interlocked.Read(ref _written);
    public long Failed => Interlocked.Read(ref _failed);
    public long DeadLettered => Interlocked.Read(ref _deadLettered);
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Items read (and counted in <see cref="Scanned"/>) that the filter left out.</summary>
    public long Filtered => Interlocked.Read(ref _filtered);

    /// <summary>Items given to the --transform process.</summary>
    public long TransformIn => Interlocked.Read(ref _transformIn);

    /// <summary>Items the --transform process gave back (to be written).</summary>
    public long TransformOut => Interlocked.Read(ref _transformOut);
    public long Retries => Interlocked.Read(ref _retries);
    public long ThrottledRequests => Interlocked.Read(ref _throttled);
    public double ConsumedReadUnits => Interlocked.Read(ref _readTenths) / 10.0;
    public double ConsumedWriteUnits => Interlocked.Read(ref _writeTenths) / 10.0;

    public void AddScanned(int items, double readUnits)
    {
        Interlocked.Add(ref _scanned, items);
        Interlocked.Add(ref _readTenths, (long)Math.Round(readUnits * 10));
    }

    public void AddWritten(int items) => Interlocked.Add(ref _written, items);

    public void AddWriteUnits(double units) => Interlocked.Add(ref _writeTenths, (long)Math.Round(units * 10));

    public void AddReadUnits(double units) => Interlocked.Add(ref _readTenths, (long)Math.Round(units * 10));

    public void AddFailed(int items) => Interlocked.Add(ref _failed, items);

    public void AddDeadLettered(int items) => Interlocked.Add(ref _deadLettered, items);

    public void AddRejected(int items) => Interlocked.Add(ref _rejected, items);

    public void AddFiltered(int items) => Interlocked.Add(ref _filtered, items);

    public void AddTransformIn(int items) => Interlocked.Add(ref _transformIn, items);

    public void AddTransformOut(int items) => Interlocked.Add(ref _transformOut, items);

    /// <summary>Items already counted as read that DynamoDB refused on import: they count as rejected records instead.</summary>
    public void MoveToRejected(int items)
    {
        Interlocked.Add(ref _scanned, -items);
        Interlocked.Add(ref _rejected, items);
    }

    /// <summary>Counts what earlier runs of a resumed job settled.</summary>
    public void AddSettled(long scanned, long written, long deadLettered, long failed, long rejected, long filtered = 0)
    {
        Interlocked.Add(ref _filtered, filtered);
        Interlocked.Add(ref _scanned, scanned);
        Interlocked.Add(ref _written, written);
        Interlocked.Add(ref _deadLettered, deadLettered);
        Interlocked.Add(ref _failed, failed);
        Interlocked.Add(ref _rejected, rejected);
    }

    /// <summary>Adds every count of <paramref name="other"/> (a batch's or a ticket's outcome) to these.</summary>
    public void Add(TransferCounters other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Interlocked.Add(ref _scanned, other.Scanned);
        Interlocked.Add(ref _written, other.Written);
        Interlocked.Add(ref _failed, other.Failed);
        Interlocked.Add(ref _deadLettered, other.DeadLettered);
        Interlocked.Add(ref _rejected, other.Rejected);
        Interlocked.Add(ref _filtered, other.Filtered);
        Interlocked.Add(ref _transformIn, other.TransformIn);
        Interlocked.Add(ref _transformOut, other.TransformOut);
        Interlocked.Add(ref _retries, other.Retries);
        Interlocked.Add(ref _throttled, other.ThrottledRequests);
        Interlocked.Add(ref _readTenths, Interlocked.Read(ref other._readTenths));
        Interlocked.Add(ref _writeTenths, Interlocked.Read(ref other._writeTenths));
    }

    public void AddRetry(bool throttled)
    {
        Interlocked.Increment(ref _retries);
        if (throttled)
        {
            Interlocked.Increment(ref _throttled);
        }
    }
}
