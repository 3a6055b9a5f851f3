using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Engine;

/// <summary>
/// What every pipeline (copy, import, export) wires the same way: the abort and read-stop tokens derived from the
/// user's two stop signals, the bounded queue between reading and writing, retry accounting, and whether the run
/// counts as interrupted.
/// </summary>
internal sealed class JobStops : IDisposable
{
    private readonly StopSignals _signals;
    private readonly CancellationTokenRegistration _gracefulNote;
    private readonly CancellationTokenRegistration _hardNote;

    public JobStops(StopSignals signals, ILogger logger)
    {
        _signals = signals;
        Abort = CancellationTokenSource.CreateLinkedTokenSource(signals.Hard);
        ReadStop = CancellationTokenSource.CreateLinkedTokenSource(signals.Graceful, Abort.Token);
        _gracefulNote = signals.Graceful.Register(() => Log.GracefulStop(logger));
        _hardNote = signals.Hard.Register(() => Log.HardStop(logger));
    }

    /// <summary>Stops everything: a hard stop, or a fatal error while writing.</summary>
    public CancellationTokenSource Abort { get; }

    /// <summary>Stops reading new input: a graceful stop, an input failure, or an abort.</summary>
    public CancellationTokenSource ReadStop { get; }

    /// <summary>True when the input was cut short by the user rather than by an error.</summary>
    public bool Interrupted(bool readComplete, bool failed) =>
        !readComplete && !failed && (_signals.Graceful.IsCancellationRequested || _signals.Hard.IsCancellationRequested);

    /// <summary>The bounded queue of batches between the producer and the consumers.</summary>
    public static Channel<WriteBatch> Queue(int capacity) =>
        Channel.CreateBounded<WriteBatch>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Counts a retried request and logs it at debug level.</summary>
    public static Action<string, Aws.ErrorClass> RetryReporter(TransferCounters counters, ILogger logger) => (operation, errorClass) =>
    {
        counters.AddRetry(errorClass == Aws.ErrorClass.Throttled);
        Log.Retrying(logger, operation, errorClass.ToString());
    };

    public void Dispose()
    {
        _gracefulNote.Dispose();
        _hardNote.Dispose();
        ReadStop.Dispose();
        Abort.Dispose();
    }
}
