using System.Globalization;
using DdbCopy.Cli.Hosting;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Cli.Output;

/// <summary>
/// Prints a progress line on stderr at most every <paramref name="interval"/>: items moved of those expected, the
/// rate, capacity used against the budget, retries, and an ETA from the expected item count and the rate measured
/// since the first report that saw items written (a capacity-bound run moves at a steady rate, so that average,
/// which leaves out the start-up, is its best guess). Under <c>--logFormat json</c> each line is a JSON event with the
/// same figures as fields.
/// </summary>
/// <param name="status">On a terminal: the status line the progress is drawn in as a bar, updated in place (null: a line each time).</param>
internal sealed class ConsoleProgressObserver(TextWriter error, TimeProvider timeProvider, TimeSpan interval, StatusLine? status = null) : IProgressObserver
{
    /// <summary>How often the progress bar is redrawn on a terminal.</summary>
    public static readonly TimeSpan TerminalInterval = TimeSpan.FromSeconds(0.5);

    private const int BarWidth = 20;

    /// <summary>How often a line is printed when stderr is not a terminal (a CI log).</summary>
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly long _started = timeProvider.GetTimestamp();
    private long? _lastPrinted;
    private (long At, long Written)? _firstWrite;
    private long? _lastWritten;
    private long _lastTimestamp = timeProvider.GetTimestamp();
    private ProgressPlan? _plan;
    private (long At, long Done)? _lastApplied;

    public void PlanReady(ProgressPlan plan) => _plan = plan;

    public void Progress(TransferSummary snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_lock)
        {
            var now = timeProvider.GetTimestamp();
            if (_firstWrite is null && snapshot.Written > 0)
            {
                _firstWrite = (now, snapshot.Written);
            }

            if (_lastPrinted is { } last && timeProvider.GetElapsedTime(last, now) < interval - TimeSpan.FromMilliseconds(100))
            {
                return;
            }

            var seconds = timeProvider.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
            var rate = seconds > 0 ? (snapshot.Written - (_lastWritten ?? snapshot.Resumed)) / seconds : 0; // earlier runs' items are no rate
            _lastWritten = snapshot.Written;
            _lastTimestamp = now;
            _lastPrinted = now;
            var fields = new List<KeyValuePair<string, object?>>();
            var text = Line(snapshot, rate, now, fields);
            if (status is not null)
            {
                status.Show(Bar(snapshot) + (text.StartsWith("progress: ", StringComparison.Ordinal) ? text["progress: ".Length..] : text));
            }
            else
            {
                StandardError.Write(error, LogLevel.Information, StandardError.Events.Progress, text, fields);
            }
        }
    }

    private string Line(TransferSummary snapshot, double rate, long now, List<KeyValuePair<string, object?>> fields)
    {
        if (snapshot.Follow is { Applying: true } follow)
        {
            var seconds = _lastApplied is { } was ? timeProvider.GetElapsedTime(was.At, now).TotalSeconds : 0;
            var applied = follow.Applied + follow.Skipped + follow.DeadLettered;
            var perSecond = seconds > 0 ? (applied - _lastApplied!.Value.Done) / seconds : 0;
            _lastApplied = (now, applied);
            fields.AddRange([
                new("Applied", follow.Applied), new("Skipped", follow.Skipped), new("DeadLettered", follow.DeadLettered),
                new("RecordsPerSecond", perSecond), new("Pending", follow.Pending), new("LagSeconds", follow.LagSeconds), new("Shards", follow.Shards),
            ]);
            if (follow.Position is { } position)
            {
                fields.AddRange([new("Transactions", follow.Transactions), new("Events", follow.StreamRecords), new("Position", position)]);
                return Invariant(
                    $"follow: {follow.Applied} applied, {follow.DeadLettered} dead-lettered ({perSecond:0} changes/s), {follow.Transactions} transactions, {follow.Pending} pending, lag {follow.LagSeconds:0.#} s, at {position}");
            }

            return Invariant(
                $"follow: {follow.Applied} applied, {follow.Skipped} skipped, {follow.DeadLettered} dead-lettered ({perSecond:0} records/s), {follow.Pending} pending, lag {follow.LagSeconds:0.#} s, {follow.Shards} shards");
        }

        var moved = _plan?.ExpectedItems is { } expected and > 0
            ? Invariant($"{snapshot.Written} of ~{expected} items ({Math.Min(100, 100.0 * snapshot.Written / expected):0}%)")
            : Invariant($"{snapshot.Written} items");
        var elapsed = timeProvider.GetElapsedTime(_started, now).TotalSeconds;
        var capacity = Capacity(snapshot, elapsed, fields);
        var eta = Eta(snapshot, now);
        fields.InsertRange(0, [new("Written", snapshot.Written), new("ExpectedItems", _plan?.ExpectedItems), new("ItemsPerSecond", rate)]);
        fields.AddRange([new("Retries", snapshot.Retries), new("Failed", snapshot.Failed), new("EtaSeconds", eta)]);
        var limit = "";
        if (snapshot.LimitedBy is { } by)
        {
            fields.AddRange([new("LimitedBy", RateLimitReading.Key(by.By)), new("LimitedByDetail", by.Text)]);
            limit = ", limited by " + by.Text;
        }

        return Invariant($"progress: {moved}, {rate:0} items/s, {capacity}{snapshot.Retries} retries, {snapshot.Failed} failed{(eta is { } left ? Invariant($", ETA {left:0.0} s") : "")}{limit}");
    }

    /// <summary>"[#####---------------] " of the expected items; nothing when no count is expected (a follow, a file).</summary>
    private string Bar(TransferSummary snapshot)
    {
        if (snapshot.Follow is { Applying: true } || _plan?.ExpectedItems is not { } expected || expected <= 0)
        {
            return "";
        }

        var filled = (int)Math.Round(BarWidth * Math.Clamp((double)snapshot.Written / expected, 0, 1));
        return "[" + new string('#', filled) + new string('-', BarWidth - filled) + "] ";
    }

    private string Capacity(TransferSummary snapshot, double elapsed, List<KeyValuePair<string, object?>> fields)
    {
        if (elapsed <= 0 || _plan is null)
        {
            return "";
        }

        var parts = new List<string>();
        if (_plan.ReadUnitsPerSecond is { } read)
        {
            parts.Add(Invariant($"{snapshot.ConsumedReadCapacity / elapsed:0.#} of {read:0.#} RCU/s"));
            fields.AddRange([new("ReadUnitsPerSecond", snapshot.ConsumedReadCapacity / elapsed), new("ReadBudget", read)]);
        }

        if (_plan.WriteUnitsPerSecond is { } write)
        {
            parts.Add(Invariant($"{snapshot.ConsumedWriteCapacity / elapsed:0.#} of {write:0.#} WCU/s"));
            fields.AddRange([new("WriteUnitsPerSecond", snapshot.ConsumedWriteCapacity / elapsed), new("WriteBudget", write)]);
        }

        return parts.Count == 0 ? "" : string.Join(", ", parts) + ", ";
    }

    /// <summary>Seconds left: what is left of the expected items at the average rate since writing began; null when unknown.</summary>
    private double? Eta(TransferSummary snapshot, long now)
    {
        if (_plan?.ExpectedItems is not { } expected || _firstWrite is not { } first || snapshot.Written <= first.Written)
        {
            return null;
        }

        var writing = timeProvider.GetElapsedTime(first.At, now).TotalSeconds;
        var rate = writing > 0 ? (snapshot.Written - first.Written) / writing : 0;
        var left = Math.Max(0, expected - snapshot.Written);
        return rate <= 0 ? null : left / rate;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
