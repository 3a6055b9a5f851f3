using DdbCopy.Core.Aws;
using DdbCopy.Core.Engine;
using Microsoft.Extensions.Time.Testing;

namespace DdbCopy.Tests.Engine;

/// <summary>The files of a job's run, decided alike for every job that writes.</summary>
public sealed class JobFilesTests : IDisposable
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 5, 8, 30, 0, TimeSpan.Zero));
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-jobfiles-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task ANewRun_UsesTheGivenFiles_OrDefaultsNamedForTheTable()
    {
        var checkpoint = Path.Combine(_folder, "job.checkpoint.json");

        await using (var given = JobFiles.Open(checkpoint, resume: false, Path.Combine(_folder, "dl.jsonl"), Path.Combine(_folder, "rj.jsonl"), "orders", true, Clock))
        {
            Assert.Equal((checkpoint, Path.Combine(_folder, "dl.jsonl"), Path.Combine(_folder, "rj.jsonl")),
                (given.CheckpointPath, given.DeadLetters.Path, given.Rejects.Path));
            Assert.True(given.Rejects.Withholds);
            Assert.Null(given.Recorded);
        }

        await using var defaults = JobFiles.Open(checkpoint, resume: true, null, null, "orders", false, Clock);
        Assert.Null(defaults.Recorded); // --resume without a checkpoint: a new job
        Assert.Equal("ddbcopy-deadletter-orders-20261205T083000Z.jsonl", Path.GetFileName(defaults.DeadLetters.Path));
        Assert.Equal("ddbcopy-rejected-orders-20261205T083000Z.jsonl", Path.GetFileName(defaults.Rejects.Path));
        Assert.False(defaults.Rejects.Withholds);
        Assert.False(File.Exists(defaults.DeadLetters.Path), "created only when something is written");
    }

    [Fact]
    public async Task AResumedRun_GoesOnWithTheFilesTheEarlierRunRecorded_UnlessOthersAreGiven()
    {
        var checkpoint = Path.Combine(_folder, "import.checkpoint.json");
        File.Copy(Path.Combine(SourceDirectory(), "Checkpoints", "Golden", "import-v1.json"), checkpoint);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(checkpoint, UnixFileMode.UserRead | UnixFileMode.UserWrite); // as ddbcopy writes it
        }

        await using (var resumed = JobFiles.Open(checkpoint, resume: true, null, null, "orders", false, Clock))
        {
            Assert.NotNull(resumed.Recorded);
            Assert.Equal(("/data/dl.jsonl", "/data/rejects.jsonl"), (resumed.DeadLetters.Path, resumed.Rejects.Path));
        }

        await using var given = JobFiles.Open(checkpoint, resume: true, Path.Combine(_folder, "new-dl.jsonl"), null, "orders", false, Clock);
        Assert.Equal((Path.Combine(_folder, "new-dl.jsonl"), "/data/rejects.jsonl"), (given.DeadLetters.Path, given.Rejects.Path));
    }

    [Fact]
    public async Task TheEarlierRun_IsTheCheckpointReadAtOpen_CheckedToBeOfThisJob()
    {
        var checkpoint = Path.Combine(_folder, "import.checkpoint.json");
        File.Copy(Path.Combine(SourceDirectory(), "Checkpoints", "Golden", "import-v1.json"), checkpoint);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(checkpoint, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await using var resumed = JobFiles.Open(checkpoint, resume: true, null, null, "orders", false, Clock);
        var job = resumed.Recorded!.Job;
        File.Delete(checkpoint); // what was read at Open is what the run goes on from: the file is not read again

        Assert.Same(resumed.Recorded, resumed.Earlier(job, segmentsGiven: false, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
        var other = Assert.Throws<DdbCopyException>(() =>
            resumed.Earlier(job with { Source = "/data/another-export" }, segmentsGiven: false, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
        Assert.Equal(FailureKind.Usage, other.Kind);
        await using var fresh = JobFiles.Open(checkpoint, resume: false, null, null, "orders", false, Clock);
        Assert.Null(fresh.Earlier(job, segmentsGiven: false, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
    }

    [Fact]
    public void ACheckpointInAFolderThatIsNotThere_IsRefusedBeforeAnyFileIsOpened()
    {
        var refused = Assert.Throws<DdbCopyException>(() =>
            JobFiles.Open(Path.Combine(_folder, "missing", "job.checkpoint.json"), resume: false, null, null, "orders", false, Clock));

        Assert.Equal(FailureKind.Usage, refused.Kind);
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetDirectoryName(Path.GetDirectoryName(path))!;
}
