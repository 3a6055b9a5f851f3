using DdbCopy.Core.Aws;
using DdbCopy.Core.Jobs.Copying;
using DdbCopy.Tests.Fakes;

namespace DdbCopy.Tests.Copying;

/// <summary>What --dryRun says of --follow: the stream, the mode and why, how long, and what it costs.</summary>
public sealed class FollowPlanTests
{
    private static readonly CopySettings Settings = new()
    {
        Source = new SideSpec(EndpointSpec.TryParse("http://localhost:8000", null, out _)!, null),
        SourceTable = "orders",
        Destination = new SideSpec(EndpointSpec.TryParse("http://localhost:8000", null, out _)!, null),
        DestinationTable = "orders-copy",
        CheckpointFile = "/jobs/orders.checkpoint.json",
    };

    private static readonly Core.Schema.TableInfo WithStream =
        TestTables.Provisioned(1000, 1000) with { StreamViewType = "NEW_AND_OLD_IMAGES", LatestStreamArn = "arn:stream" };

    [Fact]
    public void ACopyLongerThanTheRetention_SaysWhyTheStreamIsReadDuringTheScan()
    {
        var lines = DryRun.FollowPlan(Settings, new FollowSettings(), WithStream, scanSeconds: 70 * 3600);

        Assert.Equal("Would follow the source's stream arn:stream (NEW_AND_OLD_IMAGES).", lines[0]);
        Assert.Contains("into the spool /jobs/orders.checkpoint.spool", lines[1], StringComparison.Ordinal);
        Assert.Contains("about 70 hours", lines[1], StringComparison.Ordinal);
        Assert.Contains("longer than the stream keeps records (24 hours): reading the stream only after it would lose changes", lines[1], StringComparison.Ordinal);
        Assert.Contains("until Ctrl+C", lines[2], StringComparison.Ordinal);
        Assert.Contains("no table capacity", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public void AShortCopy_ToStopWhenCaughtUp_WithAConflictAttribute()
    {
        var lines = DryRun.FollowPlan(Settings, new FollowSettings { StopWhenCaughtUp = true, ConflictAttribute = "updatedAt" }, WithStream, scanSeconds: 600);

        Assert.Contains("about 10 minutes", lines[1], StringComparison.Ordinal);
        Assert.Contains("the stream keeps records 24 hours", lines[1], StringComparison.Ordinal);
        Assert.Contains("--stopWhenCaughtUp", lines[2], StringComparison.Ordinal);
        Assert.Contains("conditional on 'updatedAt' being newer", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public void NoStream_SaysTheCopyWouldStop_OrThatItWouldEnableIt()
    {
        var none = TestTables.Provisioned(1000, 1000);

        var refused = DryRun.FollowPlan(Settings, new FollowSettings(), none, 60);
        var enabled = DryRun.FollowPlan(Settings, new FollowSettings { EnableSourceStream = true }, none, 60);

        Assert.Single(refused);
        Assert.StartsWith("Would stop: --follow reads the source's stream", refused[0], StringComparison.Ordinal);
        Assert.StartsWith("Would enable the source's stream", enabled[0], StringComparison.Ordinal);
    }
}
