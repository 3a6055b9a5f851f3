namespace DdbCopy.Core.Capacity;

/// <summary>How fast this process scans, which segments it scans, how big a page is, and why.</summary>
/// <param name="MaxPagesInFlight">The most pages read or held at once (segments read at once): what <see cref="CapacityPlanner.PagesInFlightBytes"/> holds, within this process's segments.</param>
/// <param name="UsefulPagesPerSecond">A copy: the pages a second its writes take at most (at the write budget's ceiling); null: what the read budget allows.</param>
public sealed record ReadPlan(
    double ReadUnitsPerSecond,
    string ReadRateReason,
    int TotalSegments,
    IReadOnlyList<int> Segments,
    int? ScanPageLimit,
    double EstimatedPageUnits,
    double? AdaptiveCeiling = null,
    int MaxPagesInFlight = CapacityPlanner.ParallelSegments,
    double? UsefulPagesPerSecond = null);
