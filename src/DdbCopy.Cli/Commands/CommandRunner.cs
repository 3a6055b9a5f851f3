using DdbCopy.Cli.Hosting;
using DdbCopy.Cli.Output;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Errors;
using Microsoft.Extensions.Logging;
using DdbCopy.Core.Engine;

namespace DdbCopy.Cli.Commands;

/// <summary>What copy and import share: logging, Ctrl+C, the summary, and turning outcomes into exit codes.</summary>
internal static class CommandRunner
{
    /// <summary>Runs something that only reports (a dry run): its lines on stdout, errors as one line on stderr.</summary>
    public static async Task<int> ReportAsync(OutputSettings output, Func<ILoggerFactory, CancellationToken, Task<IReadOnlyList<string>>> report)
    {
        using var loggerFactory = Logging.Create(output.Verbose ? LogLevel.Debug : LogLevel.Warning);
        try
        {
            var lines = await report(loggerFactory, CancellationToken.None);
            loggerFactory.Dispose();
            foreach (var line in lines)
            {
                await Console.Out.WriteLineAsync(line);
            }

            return ExitCodes.Success;
        }
        catch (DdbCopyException ex)
        {
            loggerFactory.Dispose();
            return await FailureReport.WriteAsync(output.Format, ex.Message, ExitCodes.For(ex.Kind));
        }
    }

    /// <param name="source">What is read (a table name or a file), for the summary.</param>
    /// <param name="run">Runs the engine with a logger factory, an observer (or none) and the stop signals.</param>
    public static async Task<int> RunAsync(OutputSettings output, string source, string destinationTable, SideSpec destination,
        Func<ILoggerFactory, IProgressObserver?, StopSignals, Task<TransferSummary>> run)
    {
        var level = output.Verbose ? LogLevel.Debug : output.Quiet ? LogLevel.Warning : LogLevel.Information;
        using var loggerFactory = Logging.Create(level);
        using var stop = new StopSignalSource(output.DrainTimeout);
        var observer = output.Quiet
            ? null
            : new ConsoleProgressObserver(Console.Error, TimeProvider.System,
                output.ProgressInterval ?? (Console.IsErrorRedirected ? ConsoleProgressObserver.LogInterval : ConsoleProgressObserver.TerminalInterval));
        try
        {
            var summary = await run(loggerFactory, observer, stop.Signals);
            var exitCode = ExitCodes.For(summary);
            loggerFactory.Dispose(); // Flush the log before the summary, so stderr and stdout do not interleave.
            SummaryWriter.Write(Console.Out, output.Format, source, destinationTable, destination, summary, exitCode);
            return exitCode;
        }
        catch (DdbCopyException ex)
        {
            loggerFactory.Dispose();
            return await FailureReport.WriteAsync(output.Format, ex.Message, ExitCodes.For(ex.Kind), source, destinationTable);
        }
        catch (OperationCanceledException) when (stop.Signals.Hard.IsCancellationRequested || stop.Signals.Graceful.IsCancellationRequested)
        {
            loggerFactory.Dispose();
            return await FailureReport.WriteAsync(output.Format, "stopped before anything was written.", ExitCodes.Interrupted, source, destinationTable);
        }
    }
}
