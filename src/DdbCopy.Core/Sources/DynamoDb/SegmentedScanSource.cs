using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;

namespace DdbCopy.Core.Sources.DynamoDb;

/// <summary>Scans this process's segments in parallel (one page in flight per segment) under the read budget.</summary>
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
        var segments = new SegmentScanner(source, options.SourceTable, plan, readBudget, retry, context.Output, context.Counters, context.BatchItems,
            context.Ledger, adaptive);
        try
        {
            return await ParallelLanes.RunAsync(plan.Segments, Math.Clamp(plan.Segments.Count, 1, options.MaxConcurrentSegments), context.Stop, context.Abort,
                (segment, stop) => segments.RunSegmentAsync(segment, stop, context.Abort));
        }
        finally
        {
            AdaptiveRate = adaptive is null ? null : (adaptive.Mean, adaptive.Peak);
        }
    }
}
