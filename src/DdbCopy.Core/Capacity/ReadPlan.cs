namespace DdbCopy.Core.Capacity;

/// <summary>How fast this process scans, which segments it scans, how big a page is, and why.</summary>
public sealed record ReadPlan(
    double ReadUnitsPerSecond,
    string ReadRateReason,
    int TotalSegments,
    IReadOnlyList<int> Segments,
    int? ScanPageLimit,
    double EstimatedPageUnits,
    double? AdaptiveCeiling = null);
