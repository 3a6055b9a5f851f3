using DdbCopy.Core.Engine.Checkpoints;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Engine;

/// <summary>
/// The files of one run of a job, decided the same way for every job that writes: where its checkpoint is kept (checked
/// writable before anything is read), what an earlier run recorded there (with --resume, its dead-letter and reject
/// files go on being appended to), and the dead-letter and reject files themselves, opened (created only when needed).
/// </summary>
public sealed class JobFiles : IAsyncDisposable
{
    private readonly bool _resume;

    private JobFiles(string checkpointPath, bool resume, Checkpoint? recorded, DeadLetterFile deadLetters, RejectFile rejects)
    {
        CheckpointPath = checkpointPath;
        _resume = resume;
        Recorded = recorded;
        DeadLetters = deadLetters;
        Rejects = rejects;
    }

    public string CheckpointPath { get; }

    /// <summary>The earlier run's checkpoint with --resume (null without, or when there is none); not yet checked to be of this job.</summary>
    public Checkpoint? Recorded { get; }

    public DeadLetterFile DeadLetters { get; }

    public RejectFile Rejects { get; }

    /// <param name="checkpointPath">--checkpointFile, or the job's default path.</param>
    /// <param name="deadLetterFile">--deadLetterFile, or null for the earlier run's, else the default.</param>
    /// <param name="rejectFile">--rejectFile, or null for the earlier run's, else the default.</param>
    /// <param name="table">The table the default names are made from.</param>
    /// <param name="withholdRejects">--mask: a reject shows no value of the record.</param>
    /// <exception cref="Aws.DdbCopyException">The checkpoint's folder is not writable, or the earlier checkpoint is unreadable.</exception>
    public static JobFiles Open(string checkpointPath, bool resume, string? deadLetterFile, string? rejectFile, string table, bool withholdRejects,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        CheckpointFile.CheckWritable(checkpointPath);
        var recorded = resume ? CheckpointFile.Load(checkpointPath) : null;
        var now = timeProvider.GetUtcNow();
        var deadLetters = new DeadLetterFile(deadLetterFile ?? recorded?.DeadLetterFile ?? DeadLetterFile.DefaultPath(table, now));
        var rejects = new RejectFile(rejectFile ?? recorded?.RejectFile ?? RejectFile.DefaultPath(table, now)) { Withholds = withholdRejects };
        return new JobFiles(checkpointPath, resume, recorded, deadLetters, rejects);
    }

    /// <summary>
    /// The earlier run this one continues (--resume): the checkpoint read when the files were opened, checked to be of
    /// <paramref name="job"/> (see <see cref="Resumption.Find"/>); null for a new job.
    /// </summary>
    /// <exception cref="Aws.DdbCopyException">It is of another job, or the table it was writing into is gone.</exception>
    public Checkpoint? Earlier(JobIdentity job, bool segmentsGiven, ILogger logger, (string Table, Aws.SideSpec Where)? missingDestination = null) =>
        _resume
            ? Resumption.Check(CheckpointPath, Recorded, job, segmentsGiven, logger, missingDestination)
            : Resumption.Find(CheckpointPath, resume: false, job, segmentsGiven, logger, missingDestination);

    public async ValueTask DisposeAsync()
    {
        await Rejects.DisposeAsync();
        await DeadLetters.DisposeAsync();
    }
}
