using DdbCopy.Core.Capacity;

namespace DdbCopy.Core.Copying;

/// <summary>The writing half of a plan: how fast, how writes are costed, how many writers.</summary>
public sealed record WritePlan(double WriteUnitsPerSecond, WriteCostModel WriteCost, int WriterCount);
