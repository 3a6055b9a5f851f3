using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;

namespace DdbCopy.Core.Sources.DynamoDb;

/// <summary>
/// Scans this process's segments in parallel under the read budget: a segment holds a place in a gate while it reads a
/// page and queues it, and the gate is sized from the pages a second that are of use and the Scan's round trip.
/// </summary>
public sealed class SegmentedScanSource(IScanPageReader source, ReadPlan plan, TransferOptions options, TimeProvider timeProvider,
    Microsoft.Extensions.Logging.ILogger? logger = null) : IItemSource
{
    /// <summary>The adaptive read rate's mean and peak, once the scan ended, when the rate adapted.</summary>
    public (double Mean, double Peak)? AdaptiveRate { get; private set; }

    public async Task<bool> ProduceAsync(SourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var readBudget = new CapacityBucket(plan.ReadUnitsPerSecond, timeProvider);
        using var adaptive = plan.AdaptiveCeiling is { } ceiling
            ? new AdaptiveRate(readBudget, ceiling, "read", "RCU", timeProvider, logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)
            : null;
        var retry = RetryPipelines.Create(options.MaxRetries, timeProvider, c => context.OnRetry("Scan", c), options.RetryBaseDelay, options.RetryMaxDelay);
        // Little's law for pages: the pages a second the budget allows (a copy: its writes take) x the Scan's round trip,
        // within what the memory bound allows; every segment has its turn (first come, first served).
        var lanes = new InFlightSizer(readBudget, floor: Math.Min(2, plan.MaxPagesInFlight), cap: plan.MaxPagesInFlight, plan.EstimatedPageUnits,
            timeProvider, plan.UsefulPagesPerSecond);
        var segments = new SegmentScanner(source, options.SourceTable, plan, readBudget, retry, context.Output, context.Counters, context.BatchItems,
            context.Ledger, adaptive, lanes, timeProvider);
        try
        {
            return await ParallelLanes.RunAsync(plan.Segments, plan.MaxPagesInFlight, context.Stop, context.Abort,
                (segment, stop) => segments.RunSegmentAsync(segment, stop, context.Abort));
        }
        finally
        {
            AdaptiveRate = adaptive is null ? null : (adaptive.Mean, adaptive.Peak);
        }
    }
}
