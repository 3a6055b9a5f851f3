using System.Text.Json;
using DdbCopy.Core.Aws;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Engine.Checkpoints;

/// <summary>
/// The checkpoint of a running job: the ledger its source and sink settle tickets in, saved to the checkpoint file
/// whenever it changed (at most every <see cref="SaveInterval"/>, so a kill loses little more than the tickets in
/// flight) and once more when the run ends, with how it ended.
/// </summary>
public sealed class JobCheckpoint
{
    /// <summary>How often a changed ledger is saved while the job runs.</summary>
    public static readonly TimeSpan SaveInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a checkpoint in S3 is replaced while the job runs (a PUT costs money and time; a resume reads at most this much again).</summary>
    public static readonly TimeSpan RemoteSaveInterval = TimeSpan.FromSeconds(2);

    private readonly Checkpoint _header;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _saving = new();
    private long _savedVersion = -1;
    private CapacityRecord? _boostedFrom;
    private readonly Dictionary<string, JsonElement> _recorded = new(StringComparer.Ordinal);
    private CheckpointState _lastState = CheckpointState.Running;
    private long _savedAt = long.MinValue;

    /// <param name="header">The job, its start, its run count and its record files; lanes and totals come from the ledger.</param>
    public JobCheckpoint(string path, Checkpoint header, SettleLedger ledger, TimeProvider timeProvider, ILogger logger)
    {
        Path = CheckpointFile.FullName(path);
        _header = header;
        Ledger = ledger;
        _timeProvider = timeProvider;
        _logger = logger;
        Resumed = ledger.Settled.Scanned;
        _boostedFrom = header.BoostedFrom;
    }

    /// <summary>The destination's capacity before an earlier run boosted it, when that run could not restore it.</summary>
    public CapacityRecord? BoostedFrom
    {
        get
        {
            lock (_saving)
            {
                return _boostedFrom;
            }
        }
    }

    /// <summary>Records (before the table is changed) the capacity to restore after a boost, or null once it is restored; saved at once.</summary>
    public void RecordBoost(CapacityRecord? original)
    {
        lock (_saving)
        {
            _boostedFrom = original;
            Save(_lastState, force: true);
        }
    }

    /// <summary>Records (and saves at once) a source kind's part (see <see cref="CheckpointPart{T}.Record"/>).</summary>
    public void RecordPart(string name, JsonElement value)
    {
        lock (_saving)
        {
            _recorded[name] = value;
            Save(_lastState, force: true);
        }
    }

    /// <summary>A source kind's part as this run recorded it, or else as the earlier run saved it; null without.</summary>
    public JsonElement? Part(string name)
    {
        lock (_saving)
        {
            return _recorded.TryGetValue(name, out var recorded) ? recorded
                : _header.Parts?.TryGetValue(name, out var earlier) == true ? earlier : null;
        }
    }

    public string Path { get; }

    /// <summary>A part that changes as the job runs (a copy's stream follower), saved with the ledger; null without.</summary>
    public ILiveCheckpointPart? Live { get; set; }

    public SettleLedger Ledger { get; }

    /// <summary>Items that earlier runs of the job settled (0 for a new job).</summary>
    public long Resumed { get; }

    /// <summary>A new job's checkpoint: every lane at its start.</summary>
    public static JobCheckpoint New(string path, JobIdentity job, IEnumerable<int> lanes, string? deadLetterFile, string? rejectFile,
        TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var header = new Checkpoint
        {
            Job = job,
            Started = timeProvider.GetUtcNow(),
            DeadLetterFile = deadLetterFile,
            RejectFile = rejectFile,
        };
        return new JobCheckpoint(path, header, new SettleLedger(lanes.Select(LanePosition.Start)), timeProvider, logger);
    }

    /// <summary>Continues the job of <paramref name="earlier"/>: its positions, totals and files, one run more.</summary>
    public static JobCheckpoint Continue(string path, Checkpoint earlier, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var ledger = new SettleLedger(earlier.Lanes.Select(CheckpointFile.ToPosition), Counters(earlier.Totals), earlier.Files);
        return new JobCheckpoint(path, earlier with { Runs = earlier.Runs + 1 }, ledger, timeProvider, logger);
    }

    /// <summary>The totals of a checkpoint as counters.</summary>
    public static TransferCounters Counters(CheckpointTotals totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        var counters = new TransferCounters();
        counters.AddSettled(totals.Scanned, totals.Written, totals.DeadLettered, totals.Failed, totals.Rejected, totals.Filtered);
        return counters;
    }

    /// <summary>Saves the ledger every <see cref="SaveInterval"/> while it changes, until <paramref name="stop"/>.</summary>
    public async Task RunSaverAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(SaveInterval, _timeProvider, stop);
                Save(CheckpointState.Running);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (DdbCopyException ex)
        {
            // A checkpoint that cannot be written costs a resume, not the copy: say so once and go on.
            Log.CheckpointNotSaved(_logger, ex.Message);
        }
    }

    /// <summary>Saves the ledger if it changed since the last save (always, with <paramref name="force"/>).</summary>
    /// <exception cref="DdbCopyException">The file could not be written.</exception>
    public void Save(CheckpointState state, bool force = false)
    {
        lock (_saving)
        {
            var snapshot = Ledger.Snapshot();
            var live = Live;
            var version = snapshot.Version + (live?.Version ?? 0);
            if (!force && version == _savedVersion)
            {
                return;
            }

            if (!force && _savedAt != long.MinValue && Storage.RemoteFiles.IsRemote(Path) && _timeProvider.GetElapsedTime(_savedAt) < RemoteSaveInterval)
            {
                return;
            }

            var parts = new Dictionary<string, JsonElement>(_header.Parts ?? [], StringComparer.Ordinal);
            foreach (var (name, value) in _recorded)
            {
                parts[name] = value;
            }

            var (liveJson, saved) = live?.Snapshot() ?? default;
            if (live is not null)
            {
                parts[live.Name] = liveJson;
            }

            CheckpointFile.Save(Path, _header with
            {
                State = state,
                BoostedFrom = _boostedFrom,
                Updated = _timeProvider.GetUtcNow(),
                Totals = new CheckpointTotals
                {
                    Scanned = snapshot.Settled.Scanned,
                    Written = snapshot.Settled.Written,
                    DeadLettered = snapshot.Settled.DeadLettered,
                    Failed = snapshot.Settled.Failed,
                    Rejected = snapshot.Settled.Rejected,
                    Filtered = snapshot.Settled.Filtered,
                },
                Lanes = snapshot.Lanes.Select(CheckpointFile.FromPosition).ToList(),
                Files = _header.Files is null && snapshot.Files.Count == 0 ? null : snapshot.Files,
                Parts = parts.Count > 0 ? parts : null,
            });
            _savedVersion = version;
            _savedAt = _timeProvider.GetTimestamp();
            _lastState = state;
            saved?.Invoke();
        }
    }

    /// <summary>
    /// The last save of a run, saying how it ended. A checkpoint that cannot be written costs a resume, not the run:
    /// it is logged, not thrown.
    /// </summary>
    public void SaveLast(bool failed, bool stopped)
    {
        try
        {
            Save(Final(failed, stopped), force: true);
        }
        catch (DdbCopyException ex)
        {
            Log.CheckpointNotSaved(_logger, ex.Message);
        }
    }

    /// <summary>The last save of a run: how it ended.</summary>
    public CheckpointState Final(bool failed, bool stopped) =>
        Ledger.AllDone && !failed && (Live is null || Live.Finished) ? CheckpointState.Finished : failed ? CheckpointState.Failed : stopped ? CheckpointState.Stopped : CheckpointState.Running;
}
