using System.Runtime.InteropServices;
using DdbCopy.Core.Copying;

namespace DdbCopy.Cli.Hosting;

/// <summary>
/// Turns Ctrl+C / SIGINT and SIGTERM into the engine's two stop signals: the first asks for a graceful stop
/// (no new pages, in-flight writes drain), the second stops at once.
/// </summary>
internal sealed class StopSignalSource : IDisposable
{
    private readonly CancellationTokenSource _graceful = new();
    private readonly CancellationTokenSource _hard = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _count;

    public StopSignalSource()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        Signals = new CopyStopSignals(_graceful.Token, _hard.Token);
    }

    public CopyStopSignals Signals { get; }

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
        if (Interlocked.Increment(ref _count) == 1)
        {
            _graceful.Cancel();
        }
        else
        {
            _graceful.Cancel();
            _hard.Cancel();
        }
    }
}
