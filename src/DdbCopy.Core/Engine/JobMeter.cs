using System.Diagnostics.Metrics;
using DdbCopy.Core.Telemetry;

namespace DdbCopy.Core.Engine;

/// <summary>
/// A job's figures as metrics: observable instruments that read the job's latest progress (the same snapshot the
/// progress line and the summary are made from, taken every second), passed on to the observer it wraps. Counters:
/// items read, written, dead-lettered, rejected, filtered, failed; capacity consumed per side; throttled requests;
/// retries; changes applied, skipped and dead-lettered by a follow. Gauges: the budget per side, a follow's lag,
/// pending changes and shards. With a section, every series has a <c>section</c> label.
/// </summary>
public sealed class JobMeter : IProgressObserver, IDisposable
{
    private readonly Meter _meter = new(Instruments.MeterPrefix + ".Job");
    private readonly IProgressObserver? _inner;
    private readonly KeyValuePair<string, object?>[] _tags;
    private TransferSummary _last = new();
    private ProgressPlan? _plan;

    public JobMeter(IProgressObserver? inner, string command, string? section)
    {
        _inner = inner;
        _tags = section is null ? [] : [new("section", section)];
        Counter("ddbcopy.items.read", "{item}", "Items read from the source", s => s.Scanned);
        Counter("ddbcopy.items.written", "{item}", "Items written to the destination and confirmed", s => s.Written);
        Counter("ddbcopy.items.dead_lettered", "{item}", "Items that could not be written, recorded in the dead-letter file", s => s.DeadLettered);
        Counter("ddbcopy.items.rejected", "{item}", "Records that could not be shaped or mapped, recorded in the reject file", s => s.Rejected);
        Counter("ddbcopy.items.filtered", "{item}", "Items read that the filter left out", s => s.Filtered);
        Counter("ddbcopy.items.failed", "{item}", "Items whose write failed", s => s.Failed);
        Counter("ddbcopy.requests.throttled", "{request}", "Requests the server throttled", s => s.ThrottledRequests);
        Counter("ddbcopy.retries", "{request}", "Requests sent again: throttling, unprocessed items, server errors, timeouts", s => s.Retries);
        Counter("ddbcopy.follow.records.applied", "{record}", "Changes a follow applied to the destination", s => s.Follow?.Applied ?? 0);
        Counter("ddbcopy.follow.records.skipped", "{record}", "Changes a follow skipped (older than what the destination holds)", s => s.Follow?.Skipped ?? 0);
        Counter("ddbcopy.follow.records.dead_lettered", "{record}", "Changes a follow could not apply, recorded in the dead-letter file", s => s.Follow?.DeadLettered ?? 0);
        _meter.CreateObservableCounter("ddbcopy.capacity.consumed", () => Sides(s => s.ConsumedReadCapacity, s => s.ConsumedWriteCapacity),
            "{capacity_unit}", "Capacity units consumed, per side (read: RCU, write: WCU)");
        _meter.CreateObservableGauge("ddbcopy.capacity.budget", () => Budgets(), "{capacity_unit}/s", "The budget per side in capacity units per second, when there is one");
        Gauge("ddbcopy.follow.lag_seconds", "s", "Seconds between now and the newest change a follow applied was made", s => s.Follow?.LagSeconds);
        Gauge("ddbcopy.follow.pending", "{record}", "Changes read and not applied yet", s => s.Follow?.Pending);
        Gauge("ddbcopy.follow.shards", "{shard}", "Stream shards being read", s => s.Follow?.Shards);
        _meter.CreateObservableGauge("ddbcopy.job.info", () => new Measurement<int>(1, [.. _tags, new("command", command)]),
            null, "1 while the job runs; its labels name the command and the section");
    }

    public void PlanReady(ProgressPlan plan)
    {
        Volatile.Write(ref _plan, plan);
        _inner?.PlanReady(plan);
    }

    public void Progress(TransferSummary snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Volatile.Write(ref _last, snapshot);
        _inner?.Progress(snapshot);
    }

    public void Dispose() => _meter.Dispose();

    private void Counter(string name, string unit, string description, Func<TransferSummary, long> value) =>
        _meter.CreateObservableCounter(name, () => new Measurement<long>(value(Volatile.Read(ref _last)), _tags), unit, description);

    private void Gauge(string name, string unit, string description, Func<TransferSummary, double?> value) =>
        _meter.CreateObservableGauge(name, () => value(Volatile.Read(ref _last)) is { } now ? [new Measurement<double>(now, _tags)] : Array.Empty<Measurement<double>>(),
            unit, description);

    private IEnumerable<Measurement<double>> Sides(Func<TransferSummary, double> read, Func<TransferSummary, double> write)
    {
        var last = Volatile.Read(ref _last);
        return [new(read(last), [.. _tags, new("side", "read")]), new(write(last), [.. _tags, new("side", "write")])];
    }

    private IEnumerable<Measurement<double>> Budgets()
    {
        var plan = Volatile.Read(ref _plan);
        if (plan?.ReadUnitsPerSecond is { } read)
        {
            yield return new(read, [.. _tags, new("side", "read")]);
        }

        if (plan?.WriteUnitsPerSecond is { } write)
        {
            yield return new(write, [.. _tags, new("side", "write")]);
        }
    }
}
