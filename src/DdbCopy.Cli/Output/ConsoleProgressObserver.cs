using System.Globalization;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;

namespace DdbCopy.Cli.Output;

/// <summary>Prints a progress line on stderr every few seconds while the copy runs on a terminal.</summary>
internal sealed class ConsoleProgressObserver(TextWriter error, TimeProvider timeProvider) : IProgressObserver
{
    private readonly Lock _lock = new();
    private long _lastWritten;
    private long _lastTimestamp = timeProvider.GetTimestamp();
    private CopyPlan? _plan;

    public void PlanReady(CopyPlan plan) => _plan = plan;

    public void Progress(TransferSummary snapshot)
    {
        lock (_lock)
        {
            var now = timeProvider.GetTimestamp();
            var seconds = timeProvider.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
            var rate = seconds > 0 ? (snapshot.Written - _lastWritten) / seconds : 0;
            _lastWritten = snapshot.Written;
            _lastTimestamp = now;
            var budget = _plan is null ? "" : Invariant($" (budget {_plan.ReadUnitsPerSecond:0.#} RCU/s, {_plan.WriteUnitsPerSecond:0.#} WCU/s)");
            error.WriteLine(Invariant(
                $"progress: {snapshot.Written} written / {snapshot.Scanned} scanned, {rate:0} items/s, {snapshot.ConsumedReadCapacity:0.#} RCU and {snapshot.ConsumedWriteCapacity:0.#} WCU used{budget}, {snapshot.Retries} retries, {snapshot.Failed} failed"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
