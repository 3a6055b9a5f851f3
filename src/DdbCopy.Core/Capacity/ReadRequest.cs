namespace DdbCopy.Core.Capacity;

/// <summary>What the user asked of the reading side: a ratio or an absolute budget, segments, sections, consistency.</summary>
public sealed record ReadRequest(
    double Ratio,
    double? UnitsPerSecond,
    int? Segments = null,
    bool ConsistentScan = false,
    int TotalSections = 1,
    int Section = 0)
{
    /// <summary>The share of the source's read capacity a job uses when none is given (--readThroughputRatio).</summary>
    public const double DefaultRatio = 0.25;
}
