using System.Runtime.InteropServices;
using DdbCopy.Core.Engine;

namespace DdbCopy.Cli.Hosting;

/// <summary>
/// Turns Ctrl+C / SIGINT and SIGTERM into the engine's two stop signals: the first asks for a graceful stop
/// (no new pages, in-flight writes drain), the second stops at once, and so does the drain timeout once it passes
/// after the first, so a stop is bounded even when the destination no longer answers.
/// </summary>
internal sealed class StopSignalSource : IDisposable
{
    private readonly CancellationTokenSource _graceful = new();
    private readonly CancellationTokenSource _hard;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private readonly TimeSpan _drainTimeout;
    private int _count;

    public StopSignalSource(TimeSpan drainTimeout, TimeProvider? timeProvider = null)
    {
        _drainTimeout = drainTimeout;
        _hard = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider ?? TimeProvider.System);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        Signals = new StopSignals(_graceful.Token, _hard.Token);
    }

    public StopSignals Signals { get; }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _graceful.Dispose();
        _hard.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // We decide when the process ends.
        Request();
    }

    /// <summary>What one Ctrl+C or SIGTERM does.</summary>
    internal void Request()
    {
        if (Interlocked.Increment(ref _count) == 1)
        {
            _graceful.Cancel();
            _hard.CancelAfter(_drainTimeout);
        }
        else
        {
            _graceful.Cancel();
            _hard.Cancel();
        }
    }
}
