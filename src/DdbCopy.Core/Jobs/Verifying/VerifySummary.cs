namespace DdbCopy.Core.Jobs.Verifying;

/// <summary>What a verify found (and, with --repair, what it fixed and what a second verify found after).</summary>
public sealed record VerifySummary
{
    /// <summary>Items of the source compared with the destination.</summary>
    public long Compared { get; init; }

    public long DestinationItems { get; init; }
    public long Missing { get; init; }
    public long Different { get; init; }
    public long Extra { get; init; }

    /// <summary>The keys that differ, when any do.</summary>
    public string? DiffFile { get; init; }

    /// <summary>Items written from the source by --repair.</summary>
    public long Repaired { get; init; }

    /// <summary>Extra items deleted by --deleteExtra.</summary>
    public long Deleted { get; init; }

    /// <summary>Items a repair could not write (they are in the dead-letter file).</summary>
    public long RepairFailed { get; init; }

    public string? DeadLetterFile { get; init; }

    /// <summary>What the verify after a repair found; null without --repair or when nothing differed.</summary>
    public VerifySummary? AfterRepair { get; init; }

    public double ConsumedSourceReadCapacity { get; init; }
    public double ConsumedDestinationReadCapacity { get; init; }
    public double ConsumedWriteCapacity { get; init; }
    public double DurationSeconds { get; init; }
    public bool Interrupted { get; init; }
    public string? Error { get; init; }

    /// <summary>Both sides were read to the end and nothing differs (after the repair, when there was one).</summary>
    public bool Equal => AfterRepair?.Equal ?? (!Interrupted && Error is null && Missing == 0 && Different == 0 && Extra == 0);
}
