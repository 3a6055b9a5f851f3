using System.Diagnostics;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Support;

/// <summary>The helper every CLI test runs ddbcopy with leaves no process behind, whatever way a test ends.</summary>
public sealed class ProcessRunnerTests
{
    [Fact]
    public async Task AStepThatThrowsWhileTheProcessRuns_FailsTheTest_AndKillsTheProcess()
    {
        var id = 0;

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => ProcessRunner.RunAsync("sleep", ["300"], TimeSpan.FromMinutes(5),
            whileRunning: process =>
            {
                id = process.Id;
                throw new InvalidOperationException("an assertion failed while it ran");
            }));

        Assert.Equal("an assertion failed while it ran", thrown.Message);
        Assert.NotEqual(0, id);
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(id)); // gone
    }

    [Fact]
    public async Task AProcessThatOutlivesItsTimeout_IsKilled_AndSaysSo()
    {
        var watch = Stopwatch.StartNew();

        var result = await ProcessRunner.RunAsync("sleep", ["300"], TimeSpan.FromSeconds(1));

        Assert.True(result.TimedOut);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"{watch.Elapsed}");
    }
}
