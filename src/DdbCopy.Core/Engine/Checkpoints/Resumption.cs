using DdbCopy.Core.Aws;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Engine.Checkpoints;

/// <summary>Decides what a run starts from: the checkpoint of an earlier run of the same job (--resume), or the beginning.</summary>
public static class Resumption
{
    /// <summary>A job's destination before the run creates it.</summary>
    public const string NotCreatedYet = "(a table not created yet)";

    /// <summary>
    /// With <paramref name="resume"/>: the earlier run's checkpoint at <paramref name="path"/>, after checking it is of
    /// this job (its total segments are taken from it unless <paramref name="job"/> names some), or null when there is
    /// none. Without: null (a new job), noting that an unfinished run's checkpoint is replaced.
    /// </summary>
    /// <param name="missingDestination">The destination table and where it was looked for, when it does not exist (yet):
    /// resuming the same job into it is refused, since the table it was writing into is gone.</param>
    /// <exception cref="DdbCopyException">The checkpoint is unreadable, of another job, or of another format version; or the
    /// table it was writing into is gone.</exception>
    public static Checkpoint? Find(string path, bool resume, JobIdentity job, bool segmentsGiven, ILogger logger,
        (string Table, SideSpec Where)? missingDestination = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        var full = CheckpointFile.FullName(path);
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

        return Check(full, CheckpointFile.Load(full), job, segmentsGiven, logger, missingDestination);
    }

    /// <summary>
    /// With --resume, <paramref name="earlier"/> (the checkpoint read from <paramref name="path"/>, or null when there is
    /// none) checked as <see cref="Find"/> checks it: of this job, into a destination that still exists.
    /// </summary>
    /// <exception cref="DdbCopyException">The checkpoint is of another job, or the table it was writing into is gone.</exception>
    public static Checkpoint? Check(string path, Checkpoint? earlier, JobIdentity job, bool segmentsGiven, ILogger logger,
        (string Table, SideSpec Where)? missingDestination = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        var full = CheckpointFile.FullName(path);
        if (earlier is null)
        {
            Log.NoCheckpoint(logger, full);
            return null;
        }

        if (missingDestination is { } gone && earlier.Job.Kind == job.Kind && earlier.Job.Source == job.Source)
        {
            var doing = job.Kind == "copy" ? "copying" : $"{job.Kind}ing";
            throw new DdbCopyException(FailureKind.Environment,
                $"Cannot resume from {full}: the destination table '{gone.Table}' it was {doing} into no longer exists at {gone.Where}. Run without --resume to {job.Kind} from the beginning.");
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
