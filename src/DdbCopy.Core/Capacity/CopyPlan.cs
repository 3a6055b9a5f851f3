namespace DdbCopy.Core.Capacity;

/// <summary>How fast this process reads and writes, how the scan is split, and why.</summary>
public sealed record CopyPlan(
    double ReadUnitsPerSecond,
    string ReadRateReason,
    double WriteUnitsPerSecond,
    string WriteRateReason,
    WriteCostModel WriteCost,
    int TotalSegments,
    IReadOnlyList<int> Segments,
    int? ScanPageLimit,
    double EstimatedPageUnits,
    int WriterCount,
    int BatchItems = Aws.DynamoDbLimits.BatchWriteItems,
    double? ReadAdaptiveCeiling = null,
    double? WriteAdaptiveCeiling = null,
    int? MaxInFlight = null,
    int MaxPagesInFlight = CapacityPlanner.ParallelSegments,
    double? UsefulPagesPerSecond = null)
{
    public WritePlan Write => new(WriteUnitsPerSecond, WriteCost, WriterCount, BatchItems, WriteAdaptiveCeiling, MaxInFlight);

    public ReadPlan Read => new(ReadUnitsPerSecond, ReadRateReason, TotalSegments, Segments, ScanPageLimit, EstimatedPageUnits, ReadAdaptiveCeiling,
        MaxPagesInFlight, UsefulPagesPerSecond);
}
