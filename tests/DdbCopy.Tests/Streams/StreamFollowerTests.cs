using DdbCopy.Core.Aws;
using DdbCopy.Core.Jobs.Copying;
using DdbCopy.Core.Sources.Streams;
using DdbCopy.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DdbCopy.Tests.Streams;

/// <summary>What a resumed follower refuses before it reads anything.</summary>
public sealed class StreamFollowerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-follow-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private FollowCheckpoint Earlier(TimeSpan age, string? after = null) => new()
    {
        StreamArn = "arn:stream",
        Started = _time.GetUtcNow() - age,
        SpoolDirectory = Path.Combine(_folder, "spool"),
        Shards = [new ShardPosition("A", null, after, false, _time.GetUtcNow() - age)],
    };

    private Task<StreamFollower> StartAsync(FollowCheckpoint earlier, string arn = "arn:stream")
    {
        var stream = new FakeStreams();
        stream.AddShard("A");
        return StreamFollower.StartAsync(stream, arn, earlier, earlier.SpoolDirectory, RetryPipelines.Create(1, _time), new StreamReadOptions(), _time,
            NullLogger.Instance, CancellationToken.None);
    }

    [Fact]
    public async Task Resume_FromAPositionOlderThanTheStreamKeepsRecords_IsRefusedBeforeAnythingIsRead()
    {
        var error = await Record.ExceptionAsync(() => StartAsync(Earlier(TimeSpan.FromHours(25))));

        var refused = Assert.IsType<DdbCopyException>(error);
        Assert.Equal(FailureKind.Environment, refused.Kind);
        Assert.Contains("24 hours", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, "spool")));
    }

    [Fact]
    public async Task Resume_OfAnotherStreamOfTheTable_IsRefused()
    {
        var error = await Record.ExceptionAsync(() => StartAsync(Earlier(TimeSpan.FromHours(1)), arn: "arn:another"));

        var refused = Assert.IsType<DdbCopyException>(error);
        Assert.Contains("disabled and enabled again", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_WithinTheRetention_StartsFromTheCheckpoint()
    {
        await using var follower = await StartAsync(Earlier(TimeSpan.FromHours(23)));

        var snapshot = follower.Snapshot();
        Assert.Equal("arn:stream", snapshot.StreamArn);
        Assert.Equal(_time.GetUtcNow() - TimeSpan.FromHours(23), snapshot.Started);
        Assert.Equal(["A"], snapshot.Shards.Select(s => s.ShardId));
    }
}
