using DdbCopy.Cli.Output;
using DdbCopy.Core.Engine;
using Microsoft.Extensions.Time.Testing;

namespace DdbCopy.Tests.Cli;

public sealed class ConsoleProgressObserverTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly StringWriter _error = new();

    private string[] Lines => _error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Progress_SaysWhatIsDoneOfWhatIsExpectedAndAnEtaAtTheRateSinceWritingBegan()
    {
        var observer = new ConsoleProgressObserver(_error, _time, TimeSpan.FromSeconds(1));
        observer.PlanReady(new ProgressPlan(null, 50, 1_000));

        _time.Advance(TimeSpan.FromSeconds(1));
        observer.Progress(new TransferSummary { Scanned = 300, Written = 100, ConsumedWriteCapacity = 100 });
        _time.Advance(TimeSpan.FromSeconds(1));
        observer.Progress(new TransferSummary { Scanned = 400, Written = 150, ConsumedWriteCapacity = 150 });

        Assert.Equal(2, Lines.Length);
        Assert.Equal("progress: 100 of ~1000 items (10%), 100 items/s, 100 of 50 WCU/s, 0 retries, 0 failed", Lines[0]);
        // 50 items in the second since writing began: 850 left take 17 s.
        Assert.Equal("progress: 150 of ~1000 items (15%), 50 items/s, 75 of 50 WCU/s, 0 retries, 0 failed, ETA 17.0 s", Lines[1]);
    }

    [Fact]
    public void Progress_PrintsAtMostOneLinePerInterval()
    {
        var observer = new ConsoleProgressObserver(_error, _time, TimeSpan.FromSeconds(10));
        observer.PlanReady(new ProgressPlan(null, 50, null));
        for (var i = 1; i <= 25; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            observer.Progress(new TransferSummary { Scanned = i * 10, Written = i * 10 });
        }

        Assert.Equal(3, Lines.Length); // at 1 s, 11 s and 21 s
        Assert.All(Lines, l => Assert.DoesNotContain("ETA", l, StringComparison.Ordinal)); // nothing says how many to expect
    }

    [Fact]
    public void OnATerminal_TheProgressIsOneBarRedrawnInPlace_AndLogLinesScrollAboveIt()
    {
        var status = new StatusLine(_error, () => 200);
        var observer = new ConsoleProgressObserver(status, _time, TimeSpan.FromSeconds(0.5), status);
        observer.PlanReady(new ProgressPlan(null, 50, 1_000));

        _time.Advance(TimeSpan.FromSeconds(1));
        observer.Progress(new TransferSummary { Scanned = 300, Written = 100 });
        status.WriteLine("info: a log line");
        _time.Advance(TimeSpan.FromSeconds(1));
        observer.Progress(new TransferSummary { Scanned = 600, Written = 500 });
        status.Clear();

        const string Erase = "\r\u001b[K";
        Assert.Equal(
            Erase + "[##------------------] 100 of ~1000 items (10%), 100 items/s, 0 of 50 WCU/s, 0 retries, 0 failed"
            + Erase + "info: a log line\n" + "[##------------------] 100 of ~1000 items (10%), 100 items/s, 0 of 50 WCU/s, 0 retries, 0 failed"
            + Erase + "[##########----------] 500 of ~1000 items (50%), 400 items/s, 0 of 50 WCU/s, 0 retries, 0 failed, ETA 1.3 s"
            + Erase,
            _error.ToString());
        Assert.Single(_error.ToString().Split('\n')[1..]); // one line break in all: the log line's
    }

    [Fact]
    public void TheBar_IsCutToTheTerminalsWidth()
    {
        var status = new StatusLine(_error, () => 40);
        status.Show(new string('x', 100));

        Assert.Equal("\r\u001b[K" + new string('x', 39), _error.ToString());
    }
}
