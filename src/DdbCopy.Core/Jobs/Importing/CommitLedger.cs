namespace DdbCopy.Core.Jobs.Importing;

/// <summary>
/// Which transactions' changes are all applied, in commit order: each transaction is added with how many changes it
/// holds and the position after it; lanes report each change done; the applied position is the one after the last
/// transaction that, with every transaction before it, is done. A resume from it applies again only what may not be written.
/// </summary>
internal sealed class CommitLedger<TPosition>(TPosition start)
{
    private readonly Lock _gate = new();
    private readonly Queue<Entry> _open = new();
    private readonly Dictionary<long, Entry> _bySequence = [];
    private long _next;

    /// <summary>Everything up to here is applied.</summary>
    public TPosition Applied { get; private set; } = start;

    /// <summary>Transactions applied (with every one before them).</summary>
    public long Transactions { get; private set; }

    /// <summary>Grows every time <see cref="Applied"/> moves.</summary>
    public long Version { get; private set; }

    /// <summary>Changes added and not yet done.</summary>
    public long Pending { get; private set; }

    /// <summary>When the last transaction counted in <see cref="Applied"/> was committed at the source.</summary>
    public DateTimeOffset? AppliedCommit { get; private set; }

    /// <summary>Adds a transaction of <paramref name="changes"/> changes (0 moves the position once those before are done).</summary>
    /// <returns>Its sequence number, for <see cref="Done"/>.</returns>
    public long Add(int changes, TPosition after, DateTimeOffset committed)
    {
        lock (_gate)
        {
            var entry = new Entry(_next++, changes, after, committed);
            _open.Enqueue(entry);
            _bySequence[entry.Sequence] = entry;
            Pending += changes;
            Advance();
            return entry.Sequence;
        }
    }

    /// <summary>One change of transaction <paramref name="sequence"/> is applied (or dead-lettered).</summary>
    public void Done(long sequence)
    {
        lock (_gate)
        {
            var entry = _bySequence[sequence];
            entry.Remaining--;
            Pending--;
            Advance();
        }
    }

    private void Advance()
    {
        while (_open.TryPeek(out var oldest) && oldest.Remaining == 0)
        {
            _open.Dequeue();
            _bySequence.Remove(oldest.Sequence);
            Applied = oldest.After;
            AppliedCommit = oldest.Committed;
            Transactions++;
            Version++;
        }
    }

    private sealed class Entry(long sequence, int remaining, TPosition after, DateTimeOffset committed)
    {
        public long Sequence { get; } = sequence;

        public int Remaining { get; set; } = remaining;

        public TPosition After { get; } = after;

        public DateTimeOffset Committed { get; } = committed;
    }
}
