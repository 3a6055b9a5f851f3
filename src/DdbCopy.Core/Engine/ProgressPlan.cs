namespace DdbCopy.Core.Engine;

/// <summary>What a run expects, for progress reports: its budgets, and how many items it will move (when known).</summary>
/// <param name="ExpectedItems">
/// The source table's item count (DynamoDB's estimate, refreshed about every six hours) for this process's share of
/// its segments, or an export manifest's count; null when nothing says.
/// </param>
public sealed record ProgressPlan(double? ReadUnitsPerSecond, double? WriteUnitsPerSecond, long? ExpectedItems)
{
    /// <summary>This process's share of a table's items: its segments out of all of them.</summary>
    public static long? ShareOf(long itemCount, int mySegments, int totalSegments) =>
        itemCount <= 0 || totalSegments <= 0 ? null : (long)Math.Round((double)itemCount * mySegments / totalSegments);
}
