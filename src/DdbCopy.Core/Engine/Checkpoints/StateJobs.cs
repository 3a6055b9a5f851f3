using DdbCopy.Core.Aws;

namespace DdbCopy.Core.Engine.Checkpoints;

/// <summary>One checkpoint in the state folder: the job it belongs to, or why it cannot be read.</summary>
public sealed record StateJob(string Path, Checkpoint? Checkpoint, string? Error, DateTimeOffset LastWrite)
{
    /// <summary>The follow spool beside a default checkpoint (see the follow settings' default).</summary>
    public string Spool => CheckpointFile.SpoolBeside(Path);

    public bool Finished => Checkpoint?.State == CheckpointState.Finished;
}

/// <summary>The jobs a state folder holds (<c>ddbcopy jobs</c>), and pruning the finished ones.</summary>
public static class StateJobs
{
    /// <summary>Every <c>*.checkpoint.json</c> in <paramref name="folder"/>, the most recently written first; none when it does not exist.</summary>
    public static IReadOnlyList<StateJob> List(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return Directory.EnumerateFiles(folder, "*.checkpoint.json")
            .Select(path =>
            {
                var lastWrite = File.GetLastWriteTimeUtc(path);
                try
                {
                    return new StateJob(path, CheckpointFile.Load(path), null, lastWrite);
                }
                catch (DdbCopyException ex)
                {
                    return new StateJob(path, null, ex.Message, lastWrite);
                }
            })
            .OrderByDescending(j => j.Checkpoint?.Updated ?? j.LastWrite)
            .ThenBy(j => j.Path, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Deletes the checkpoints of finished jobs (nothing is left to resume) and their spools; keeps every other one
    /// (running, stopped, failed: a --resume needs it) and every file it cannot read. Returns what was deleted.
    /// </summary>
    public static IReadOnlyList<StateJob> Prune(string folder)
    {
        var pruned = new List<StateJob>();
        foreach (var job in List(folder).Where(j => j.Finished))
        {
            if (Directory.Exists(job.Spool))
            {
                Directory.Delete(job.Spool, recursive: true);
            }

            File.Delete(job.Path);
            pruned.Add(job);
        }

        return pruned;
    }
}
