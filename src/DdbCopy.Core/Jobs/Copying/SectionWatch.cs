using System.Globalization;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Engine.Checkpoints;
using DdbCopy.Core.Sources.Streams;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Jobs.Copying;

/// <summary>
/// What a sectioned copy's follower waits for before it applies the stream's changes: every section's checkpoint saying
/// its scan finished. A section's checkpoint must be of this job (the same source, number of sections and its own
/// index), must name the stream the follower reads (so that stream recorded every change made during its scan), and
/// must have begun within the stream's reach of the follower's first read (else its early changes may be trimmed);
/// otherwise the follower stops with the reason, because changes could be missing.
/// </summary>
public sealed class SectionWatch(IReadOnlyList<string> paths, string sourceId, string streamArn, DateTimeOffset readingSince, TimeProvider timeProvider,
    ILogger logger)
{
    /// <summary>How often the sections' checkpoints are read (in S3, where every read is a request: every 5 seconds).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly TimeSpan _interval = paths.Any(Storage.RemoteFiles.IsRemote) ? TimeSpan.FromSeconds(5) : PollInterval;

    /// <summary>
    /// The stream keeps records 24 hours: a section that began more than this before the follower first read from the
    /// oldest record may have had changes trimmed before they were read.
    /// </summary>
    public static readonly TimeSpan Reach = TimeSpan.FromHours(23);

    /// <summary>
    /// A change made this long before the earliest section began is older than every section's scan (which read its
    /// item or something newer): the follower passes over it. Wide, because a section's start is its own machine's clock and a
    /// change's time is DynamoDB's.
    /// </summary>
    public static readonly TimeSpan ClockMargin = TimeSpan.FromMinutes(15);

    /// <summary>Waits until every section finished its scan.</summary>
    /// <returns>When the earliest section began; null when <paramref name="stop"/> came first.</returns>
    /// <exception cref="DdbCopyException">A section's checkpoint is of another job, of another stream, or too old for the stream.</exception>
    public async Task<DateTimeOffset?> WaitAsync(CancellationToken stop)
    {
        var finished = new DateTimeOffset?[paths.Count];
        string? said = null;
        while (!stop.IsCancellationRequested)
        {
            var waiting = new List<string>();
            for (var i = 0; i < paths.Count; i++)
            {
                if (finished[i] is not null)
                {
                    continue;
                }

                var checkpoint = CheckpointFile.Load(paths[i]);
                var state = checkpoint is null ? "not started" : Check(i, checkpoint);
                if (state is null)
                {
                    finished[i] = checkpoint!.Started;
                }
                else
                {
                    waiting.Add(string.Create(CultureInfo.InvariantCulture, $"section {i} {state}"));
                }
            }

            if (waiting.Count == 0)
            {
                var earliest = finished.Min()!.Value;
                Log.Follow(logger, string.Create(CultureInfo.InvariantCulture,
                    $"All {paths.Count} sections finished their scans (the first began {earliest:u}): applying the stream's changes"));
                return earliest;
            }

            var text = string.Create(CultureInfo.InvariantCulture,
                $"Waiting for the sections' scans before applying the stream's changes: {paths.Count - waiting.Count} of {paths.Count} finished ({string.Join(", ", waiting)})");
            if (text != said)
            {
                Log.Follow(logger, text);
                said = text;
            }

            try
            {
                await Task.Delay(_interval, timeProvider, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return null;
    }

    /// <summary>Null when section <paramref name="index"/> finished its scan, else what it is doing; throws when it cannot be followed.</summary>
    private string? Check(int index, Checkpoint checkpoint)
    {
        var path = paths[index];
        var job = checkpoint.Job;
        if (job.Kind != "copy" || job.Source != sourceId || job.TotalSections != paths.Count || job.Section != index)
        {
            throw new DdbCopyException(FailureKind.Usage, FormattableString.Invariant(
                $"The checkpoint of section {index} ({path}) is of another job ({job.Kind} {job.Source}, section {job.Section} of {job.TotalSections}): ")
                + "the follower and every section must run the same command line, only --section differing.");
        }

        var stream = StreamCheckpoint.Section.Of(checkpoint);
        if (stream is null)
        {
            // Recorded just after the checkpoint is first saved: only a finished section without it ran without --follow.
            return checkpoint.State == CheckpointState.Finished
                ? throw new DdbCopyException(FailureKind.Usage,
                    $"Section {index} ({path}) copied without --follow, so its scan may have begun before the source's stream recorded changes: "
                    + "run every section with the same command line as the follower, --follow included, and start the job again.")
                : "starting";
        }

        if (stream.StreamArn != streamArn)
        {
            throw new DdbCopyException(FailureKind.Environment,
                $"Section {index} scanned while the source's stream was {stream.StreamArn}, and the follower reads {streamArn}: the stream was disabled and "
                + "enabled again, so changes in between were not recorded. Start the whole job again (sections and follower, without --resume).");
        }

        if (checkpoint.Started < readingSince - Reach)
        {
            throw new DdbCopyException(FailureKind.Environment, FormattableString.Invariant(
                $"Section {index} began {checkpoint.Started:u}, more than {Reach.TotalHours:0} hours before the follower first read the source's stream ({readingSince:u}): ")
                + "DynamoDB Streams keeps records 24 hours, so changes made early in its scan may be gone. Start the follower with the sections (the same job), "
                + "and start this job again.");
        }

        return checkpoint.State switch
        {
            CheckpointState.Finished => null,
            CheckpointState.Running => "scanning",
            var other => $"{other.ToString().ToLowerInvariant()} (to be resumed)",
        };
    }
}
