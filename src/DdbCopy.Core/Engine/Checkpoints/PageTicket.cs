
namespace DdbCopy.Core.Engine.Checkpoints;

/// <summary>
/// One unit of input that settles as a whole: a scan page, or a run of file records. The source opens it, gives each
/// of its batches to the queue (<see cref="AddBatch"/>) and seals it; the sink settles every batch once all its items
/// are written or recorded. When the last one settles, the lane's position may move past it.
/// </summary>
public sealed class PageTicket
{
    private readonly SettleLedger _ledger;
    private int _pending = 1; // the seal

    internal PageTicket(SettleLedger ledger, LanePosition end)
    {
        _ledger = ledger;
        End = end;
    }

    /// <summary>Where the lane stands once this ticket and every one before it are settled.</summary>
    public LanePosition End { get; }

    /// <summary>What this ticket's items came to: read, written, dead-lettered, rejected.</summary>
    internal TransferCounters Tally { get; } = new();

    internal bool Settled { get; private set; }

    /// <summary>Counts input records of this ticket that were rejected as they were read.</summary>
    public void AddRejected(int records)
    {
        lock (_ledger.Gate)
        {
            Tally.AddRejected(records);
        }
    }

    /// <summary>Items of this ticket that were read but will not be written: left out by the filter, or rejected while shaped.</summary>
    public void AddShaped(int filtered, int rejected)
    {
        lock (_ledger.Gate)
        {
            Tally.AddFiltered(filtered);
            Tally.MoveToRejected(rejected);
        }
    }

    /// <summary>Items the Scan read and its filter left out.</summary>
    public void AddFilteredByScan(int items)
    {
        lock (_ledger.Gate)
        {
            Tally.AddScanned(items, 0);
            Tally.AddFiltered(items);
        }
    }

    /// <summary>One more batch of this ticket is about to be queued.</summary>
    public void AddBatch(int items)
    {
        lock (_ledger.Gate)
        {
            _pending++;
            Tally.AddScanned(items, 0);
        }
    }

    /// <summary>Every batch of the ticket is queued: no more will be added.</summary>
    public void Seal() => Release(null);

    /// <summary>A batch was written or recorded in full; <paramref name="outcome"/> is what became of its items.</summary>
    public void Settle(TransferCounters outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        Release(outcome);
    }

    private void Release(TransferCounters? outcome)
    {
        lock (_ledger.Gate)
        {
            if (outcome is not null)
            {
                Tally.Add(outcome);
            }

            if (--_pending == 0)
            {
                Settled = true;
                _ledger.Advance(End.Lane);
            }
        }
    }
}
