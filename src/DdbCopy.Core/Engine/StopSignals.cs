namespace DdbCopy.Core.Engine;

/// <summary>
/// The two ways a user stops a run: <see cref="Graceful"/> stops scanning and lets in-flight writes drain;
/// <see cref="Hard"/> cancels everything at once.
/// </summary>
public sealed record StopSignals(CancellationToken Graceful, CancellationToken Hard)
{
    public static StopSignals None { get; } = new(CancellationToken.None, CancellationToken.None);
}
