namespace DdbCopy.Core.Capacity;

/// <summary>What the user asked of the writing side: a ratio or an absolute budget, and at most how many writers.</summary>
public sealed record WriteRequest(double Ratio, double? UnitsPerSecond, int? MaxWriteThreads = null);
