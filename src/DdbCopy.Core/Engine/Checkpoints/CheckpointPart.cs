using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DdbCopy.Core.Engine.Checkpoints;

/// <summary>
/// A source kind's own part of the checkpoint (as Azure.Storage.DataMovement's resources own their checkpoint
/// details): a name, the kind's record, and the kind's JSON for it. The checkpoint keeps it as opaque JSON under the
/// name (a top-level property of the file), so the Engine never knows a kind's fields and a new kind adds a part
/// without touching the checkpoint format's code.
/// </summary>
public sealed class CheckpointPart<T>(string name, JsonTypeInfo<T> json) where T : class
{
    public string Name => name;

    /// <summary>The part in a checkpoint read from a file (an earlier run's), or null when it has none.</summary>
    public T? Of(Checkpoint? checkpoint) =>
        checkpoint?.Parts is { } parts && parts.TryGetValue(name, out var element) ? Read(element) : null;

    /// <summary>The part as the running job has it: recorded by this run, or else the earlier run's; null without.</summary>
    public T? Of(JobCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return checkpoint.Part(name) is { } element ? Read(element) : null;
    }

    /// <summary>Records the part in the running job's checkpoint, saved at once.</summary>
    public void Record(JobCheckpoint checkpoint, T value)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        checkpoint.RecordPart(name, ToJson(value));
    }

    /// <summary>The checkpoint with the part set (for a checkpoint written whole).</summary>
    public Checkpoint With(Checkpoint checkpoint, T value)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var parts = new Dictionary<string, JsonElement>(checkpoint.Parts ?? [], StringComparer.Ordinal) { [name] = ToJson(value) };
        return checkpoint with { Parts = parts };
    }

    public JsonElement ToJson(T value) => JsonSerializer.SerializeToElement(value, json);

    private T Read(JsonElement element) =>
        element.Deserialize(json) ?? throw new JsonException($"the checkpoint's '{name}' is empty");
}

/// <summary>A part that changes as the job runs (a stream's follower), saved with the ledger.</summary>
public interface ILiveCheckpointPart
{
    string Name { get; }

    /// <summary>Grows with every change of the state.</summary>
    long Version { get; }

    /// <summary>Nothing is left to resume of this part (a follower that ended caught up with --stopWhenCaughtUp).</summary>
    bool Finished { get; }

    /// <summary>The part now, and what to call once it is in the checkpoint file (a spool may then drop what it applied).</summary>
    (JsonElement Json, Action Saved) Snapshot();
}
