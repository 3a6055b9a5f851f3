namespace DdbCopy.Core.Jobs.Copying;

/// <summary>--follow: keep the destination up to date from the source's stream after the bulk copy.</summary>
public sealed record FollowSettings
{
    /// <summary>Exit once every change recorded until the bulk copy ended is applied ("refresh, then stop").</summary>
    public bool StopWhenCaughtUp { get; init; }

    /// <summary>Enable the source's stream (NEW_AND_OLD_IMAGES) when it has none, instead of refusing.</summary>
    public bool EnableSourceStream { get; init; }

    /// <summary>Two-way replication: apply a change only when this attribute is newer than the destination's.</summary>
    public string? ConflictAttribute { get; init; }

    /// <summary>No bulk copy: only the changes recorded from now on (the second direction of two-way replication).</summary>
    public bool FollowOnly { get; init; }

    /// <summary>Where stream records wait until they are applied; null for the checkpoint's path with ".spool".</summary>
    public string? SpoolDirectory { get; init; }

    /// <summary>How many changes are written at once (each key always in the same lane, so its changes stay in order).</summary>
    public int Lanes { get; init; } = 16;

    /// <summary>What a checkpoint records of these settings: a resumed run must follow the same way.</summary>
    public string Identity =>
        "follow" + (FollowOnly ? ", followOnly" : "") + (ConflictAttribute is { } a ? $", conflictAttribute {a}" : "");

    public string SpoolFor(string checkpointPath) =>
        SpoolDirectory ?? Engine.Checkpoints.CheckpointFile.SpoolBeside(checkpointPath);
}
