using DdbCopy.Core.Formats;

namespace DdbCopy.Core.Engine.Checkpoints;

/// <summary>
/// Where each lane of a job's input stands: the tickets read and not yet settled, in order, and the position after the
/// last ticket of the unbroken settled run from the lane's start. A ticket settled out of order waits for the ones
/// before it, so a position never covers an item that is not written or recorded. Also keeps what the settled part
/// of the job came to (the totals of a resumed job start from them) and, for an export, the data files committed.
/// </summary>
public sealed class SettleLedger
{
    private readonly Dictionary<int, Lane> _lanes;
    private readonly List<ManifestFile> _files;
    private long _version;

    /// <param name="start">Every lane of this run, where it stands (its start, or an earlier run's position).</param>
    /// <param name="settled">What earlier runs settled.</param>
    /// <param name="files">Data files earlier runs committed (export).</param>
    public SettleLedger(IEnumerable<LanePosition> start, TransferCounters? settled = null, IEnumerable<ManifestFile>? files = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        _lanes = start.ToDictionary(p => p.Lane, p => new Lane(p));
        Settled = settled ?? new TransferCounters();
        _files = files?.ToList() ?? [];
    }

    /// <summary>Held while tickets settle; hold it to make several changes one step (see <see cref="CommitFile"/>).</summary>
    internal object Gate { get; } = new();

    /// <summary>What the settled part of the job came to.</summary>
    public TransferCounters Settled { get; }

    /// <summary>Grows with every change, so a saver can tell whether there is anything new to save.</summary>
    public long Version => Interlocked.Read(ref _version);

    public LanePosition PositionOf(int lane)
    {
        lock (Gate)
        {
            return _lanes[lane].Position;
        }
    }

    /// <summary>True when every lane was read and settled to its end.</summary>
    public bool AllDone
    {
        get
        {
            lock (Gate)
            {
                return _lanes.Values.All(l => l.Position.Done);
            }
        }
    }

    /// <summary>Opens the next ticket of a lane; it ends at <paramref name="end"/>.</summary>
    public PageTicket Open(LanePosition end)
    {
        ArgumentNullException.ThrowIfNull(end);
        var ticket = new PageTicket(this, end);
        lock (Gate)
        {
            _lanes[end.Lane].Open.Enqueue(ticket);
        }

        return ticket;
    }

    /// <summary>
    /// An export's data file is committed: it is listed and the batches it holds settle in one step, so a saved
    /// checkpoint never lists a file without its positions, nor positions without their file.
    /// </summary>
    public void CommitFile(ManifestFile file, IEnumerable<(PageTicket Ticket, TransferCounters Outcome)> batches)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(batches);
        lock (Gate)
        {
            _files.Add(file);
            foreach (var (ticket, outcome) in batches)
            {
                ticket.Settle(outcome);
            }

            _version++;
        }
    }

    /// <summary>A consistent copy of the positions, the settled totals and the files, for a checkpoint.</summary>
    public LedgerSnapshot Snapshot()
    {
        lock (Gate)
        {
            var settled = new TransferCounters();
            settled.Add(Settled);
            return new LedgerSnapshot(_lanes.Values.Select(l => l.Position).OrderBy(p => p.Lane).ToList(), settled, _files.ToList(), _version);
        }
    }

    /// <summary>Moves a lane past every settled ticket at its head. Called with <see cref="Gate"/> held.</summary>
    internal void Advance(int lane)
    {
        var state = _lanes[lane];
        while (state.Open.TryPeek(out var head) && head.Settled)
        {
            state.Open.Dequeue();
            state.Position = head.End;
            Settled.Add(head.Tally);
            _version++;
        }
    }

    private sealed class Lane(LanePosition position)
    {
        public LanePosition Position { get; set; } = position;

        public Queue<PageTicket> Open { get; } = new();
    }
}

/// <summary>The ledger at one moment.</summary>
public sealed record LedgerSnapshot(IReadOnlyList<LanePosition> Lanes, TransferCounters Settled, IReadOnlyList<ManifestFile> Files, long Version);
