using DdbCopy.Core.Aws;
using DdbCopy.Core.Engine.Checkpoints;
using DdbCopy.Core.Jobs.Copying;
using DdbCopy.Core.Sources.Streams;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DdbCopy.Tests.Copying;

/// <summary>
/// What a sectioned copy's follower waits for, from the sections' checkpoints: every scan finished, of this job and this
/// stream, and within the stream's 24 hours; anything else stops it with the reason, since changes could be missing.
/// </summary>
public sealed class SectionWatchTests : IDisposable
{
    private const string Stream = "arn:aws:dynamodb:us-east-1:1:table/t/stream/2026-12-06T00:00:00.000";
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-watch-").FullName;
    private readonly FakeTimeProvider _time = new(Now);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private IReadOnlyList<string> Paths => Enumerable.Range(0, 3).Select(i => Path.Combine(_folder, $"ck-{i}.json")).ToList();

    private void Section(int index, CheckpointState state, DateTimeOffset started, string? stream = Stream, string source = "src", int total = 3)
    {
        var checkpoint = new Checkpoint
        {
            Job = new JobIdentity("copy", source, "dst", 6, index, total, "follow"), State = state, Started = started, Updated = started,
        };
        CheckpointFile.Save(Paths[index], stream is null ? checkpoint : StreamCheckpoint.Section.With(checkpoint, new SectionStreamCheckpoint(stream)));
    }

    private SectionWatch Watch() => new(Paths, "src", Stream, Now, _time, NullLogger.Instance);

    [Fact]
    public async Task EverySectionFinished_GivesWhenTheFirstBegan()
    {
        Section(0, CheckpointState.Finished, Now.AddMinutes(-30));
        Section(1, CheckpointState.Finished, Now.AddMinutes(-42));
        Section(2, CheckpointState.Finished, Now.AddMinutes(-5));

        Assert.Equal(Now.AddMinutes(-42), await Watch().WaitAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ASectionNotStartedOrStillScanning_IsWaitedFor_UntilStopped()
    {
        Section(0, CheckpointState.Finished, Now);
        Section(1, CheckpointState.Running, Now, stream: null); // its stream not recorded yet: starting
        using var stop = new CancellationTokenSource();

        var waiting = Watch().WaitAsync(stop.Token);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(waiting.IsCompleted);
        await stop.CancelAsync();

        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task TheLastSectionFinishing_EndsTheWait()
    {
        Section(0, CheckpointState.Finished, Now);
        Section(1, CheckpointState.Finished, Now);
        Section(2, CheckpointState.Failed, Now); // to be resumed

        var waiting = Watch().WaitAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        Section(2, CheckpointState.Finished, Now);
        var limit = System.Diagnostics.Stopwatch.StartNew();
        while (!waiting.IsCompleted && limit.Elapsed < TimeSpan.FromSeconds(10))
        {
            _time.Advance(SectionWatch.PollInterval);
            await Task.Yield();
        }

        Assert.Equal(Now, await waiting);
    }

    [Theory]
    [InlineData("another job", "is of another job")]
    [InlineData("without follow", "copied without --follow")]
    [InlineData("another stream", "the stream was disabled and enabled again")]
    [InlineData("too old", "DynamoDB Streams keeps records 24 hours")]
    public async Task ASectionThatCannotBeFollowed_StopsTheFollowerWithTheReason(string why, string message)
    {
        Section(0, CheckpointState.Finished, Now);
        Section(1, CheckpointState.Finished, Now);
        switch (why)
        {
            case "another job": Section(2, CheckpointState.Running, Now, source: "other"); break;
            case "without follow": Section(2, CheckpointState.Finished, Now, stream: null); break;
            case "another stream": Section(2, CheckpointState.Running, Now, stream: Stream + "x"); break;
            default: Section(2, CheckpointState.Finished, Now - SectionWatch.Reach - TimeSpan.FromMinutes(1)); break;
        }

        var error = await Assert.ThrowsAsync<DdbCopyException>(() => Watch().WaitAsync(CancellationToken.None));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("ection 2", error.Message, StringComparison.Ordinal);
    }
}
