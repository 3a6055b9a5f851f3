using DdbCopy.Cli.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace DdbCopy.Tests.Cli;

public sealed class StopSignalSourceTests
{
    [Fact]
    public void FirstStop_AsksForAGracefulStopAndTurnsHardWhenTheDrainTimeoutPasses()
    {
        var time = new FakeTimeProvider();
        using var stop = new StopSignalSource(TimeSpan.FromSeconds(30), time);

        stop.Request();
        Assert.True(stop.Signals.Graceful.IsCancellationRequested);
        Assert.False(stop.Signals.Hard.IsCancellationRequested);

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(stop.Signals.Hard.IsCancellationRequested);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(stop.Signals.Hard.IsCancellationRequested);
    }

    [Fact]
    public void SecondStop_IsHardAtOnce()
    {
        using var stop = new StopSignalSource(TimeSpan.FromSeconds(30), new FakeTimeProvider());
        stop.Request();
        stop.Request();
        Assert.True(stop.Signals.Hard.IsCancellationRequested);
    }
}
