namespace DdbCopy.Core.Jobs.Generating;

/// <summary>What a generate run wrote: the items of the fill, and the updates and deletes after it.</summary>
public sealed record GenerateSummary
{
    public long Items { get; init; }
    public long Written { get; init; }
    public long Updated { get; init; }
    public long Deleted { get; init; }

    /// <summary>Writes (puts or deletes) not confirmed, in the dead-letter file.</summary>
    public long DeadLettered { get; init; }

    public string? DeadLetterFile { get; init; }
    public int Seed { get; init; }
    public double ConsumedWriteCapacity { get; init; }
    public double DurationSeconds { get; init; }
    public bool Interrupted { get; init; }
    public string? Error { get; init; }

    public bool Complete => !Interrupted && Error is null && DeadLettered == 0 && Written == Items;
}
