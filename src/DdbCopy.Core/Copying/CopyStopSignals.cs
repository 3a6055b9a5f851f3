namespace DdbCopy.Core.Copying;

/// <summary>
/// The two ways a user stops a run: <see cref="Graceful"/> stops scanning and lets in-flight writes drain;
/// <see cref="Hard"/> cancels everything at once.
/// </summary>
public sealed record CopyStopSignals(CancellationToken Graceful, CancellationToken Hard)
{
    public static CopyStopSignals None { get; } = new(CancellationToken.None, CancellationToken.None);
}
