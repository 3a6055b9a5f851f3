using DdbCopy.Core.Errors;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Checkpoints;

/// <summary>Decides what a run starts from: the checkpoint of an earlier run of the same job (--resume), or the beginning.</summary>
public static class Resumption
{
    /// <summary>
    /// With <paramref name="resume"/>: the earlier run's checkpoint at <paramref name="path"/>, after checking it is of
    /// this job (its total segments are taken from it unless <paramref name="job"/> names some), or null when there is
    /// none. Without: null (a new job), noting that an unfinished run's checkpoint is replaced.
    /// </summary>
    /// <exception cref="DdbCopyException">The checkpoint is unreadable, of another job, or of another format version.</exception>
    public static Checkpoint? Find(string path, bool resume, JobIdentity job, bool segmentsGiven, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(job);
        var full = Path.GetFullPath(path);
        if (!resume)
        {
            Checkpoint? existing = null;
            try
            {
                existing = CheckpointFile.Load(full);
            }
            catch (DdbCopyException)
            {
                // Not readable: this run replaces it anyway.
            }

            if (existing is { State: not CheckpointState.Finished } && Differences(existing.Job, job, segmentsGiven: false).Count == 0)
            {
                Log.CheckpointReplaced(logger, full);
            }

            return null;
        }

        var earlier = CheckpointFile.Load(full);
        if (earlier is null)
        {
            Log.NoCheckpoint(logger, full);
            return null;
        }

        var differences = Differences(earlier.Job, job, segmentsGiven);
        if (differences.Count > 0)
        {
            throw new DdbCopyException(FailureKind.Usage,
                $"Cannot resume from {full}: it is the checkpoint of another job ({string.Join("; ", differences)}). "
                + "Pass the checkpoint of this job with --checkpointFile, or run without --resume to start this job from the beginning.");
        }

        return earlier;
    }

    /// <summary>What differs between the job of a checkpoint and this run's, as "source: A in the checkpoint, B in this run".</summary>
    public static IReadOnlyList<string> Differences(JobIdentity saved, JobIdentity run, bool segmentsGiven)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(run);
        var differences = new List<string>();
        void Compare<T>(string what, T a, T b)
        {
            if (!EqualityComparer<T>.Default.Equals(a, b))
            {
                differences.Add($"{what}: {a} in the checkpoint, {b} in this run");
            }
        }

        Compare("kind", saved.Kind, run.Kind);
        Compare("source", saved.Source, run.Source);
        Compare("destination", saved.Destination, run.Destination);
        Compare("section", $"{saved.Section} of {saved.TotalSections}", $"{run.Section} of {run.TotalSections}");
        if (segmentsGiven)
        {
            Compare("number of segments", saved.TotalSegments, run.TotalSegments);
        }

        Compare("options", saved.Options ?? "(none)", run.Options ?? "(none)");
        return differences;
    }
}
