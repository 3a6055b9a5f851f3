using DdbCopy.Core.Aws;
using DdbCopy.Core.Schema;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Engine.Checkpoints;

/// <summary>What copy, export and import do alike with checkpoints when a run starts.</summary>
public static class JobStart
{
    /// <summary>How a checkpoint names a table: its identity (ARN, id, creation time), or its name and endpoint when the server gives none.</summary>
    public static string TableId(TableInfo table, SideSpec side)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(side);
        return table.Identity ?? $"{table.Name} at {side.Endpoint}";
    }

    /// <summary>
    /// The checkpoint this run keeps: the earlier run's, continued, or a new one with every lane at its start. It is
    /// saved at once, so even a run killed in its first second leaves a checkpoint to resume from. The caller has
    /// checked the path with <see cref="CheckpointFile.CheckWritable"/> before changing anything.
    /// </summary>
    public static JobCheckpoint Begin(string path, Checkpoint? earlier, JobIdentity job, IEnumerable<int> lanes, string? deadLetterFile,
        string? rejectFile, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(job);
        JobCheckpoint checkpoint;
        if (earlier is null)
        {
            checkpoint = JobCheckpoint.New(path, job, lanes, deadLetterFile, rejectFile, timeProvider, logger);
            Log.CheckpointAt(logger, checkpoint.Path);
        }
        else
        {
            checkpoint = JobCheckpoint.Continue(path, earlier with { DeadLetterFile = deadLetterFile, RejectFile = rejectFile }, timeProvider, logger);
            Log.Resuming(logger, checkpoint.Path, earlier.Runs + 1, earlier.Totals.Scanned, earlier.Lanes.Count(l => l.Done), earlier.Lanes.Count);
        }

        checkpoint.Save(CheckpointState.Running, force: true);
        return checkpoint;
    }

    /// <summary>The summary of a job that already finished: what its checkpoint says it came to.</summary>
    public static TransferSummary Finished(string path, Checkpoint earlier, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var full = CheckpointFile.FullName(path);
        Log.AlreadyFinished(logger, full, earlier.Updated.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
            earlier.Totals.Written, earlier.Totals.Scanned);
        return TransferSummary.From(JobCheckpoint.Counters(earlier.Totals), TimeSpan.Zero, deadLetterFile: earlier.Totals.DeadLettered > 0 ? earlier.DeadLetterFile : null)
            with
            {
                Resumed = earlier.Totals.Scanned,
                CheckpointFile = full,
                RejectFile = earlier.Totals.Rejected > 0 ? earlier.RejectFile : null,
            };
    }
}
