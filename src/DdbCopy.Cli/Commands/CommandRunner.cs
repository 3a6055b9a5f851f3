using DdbCopy.Cli.Hosting;
using DdbCopy.Cli.Output;
using DdbCopy.Core.Aws;
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
    public static Task<int> RunAsync(OutputSettings output, string source, string destinationTable, SideSpec destination,
        Func<ILoggerFactory, IProgressObserver?, StopSignals, Task<TransferSummary>> run) =>
        RunAsync(output, source, destinationTable, run, ExitCodes.For,
            (summary, exitCode) => SummaryWriter.Write(Console.Out, output.Format, source, destinationTable, destination, summary, exitCode),
            "stopped before anything was written.");

    /// <summary>Runs a command that ends with a summary of its own kind (a transfer's, a verify's).</summary>
    /// <param name="exitCode">The exit code a summary means.</param>
    /// <param name="write">Prints the summary on stdout, after the log is flushed.</param>
    /// <param name="stoppedEarly">What a stop before the summary means, for the one-line error.</param>
    public static async Task<int> RunAsync<TSummary>(OutputSettings output, string source, string destinationTable,
        Func<ILoggerFactory, IProgressObserver?, StopSignals, Task<TSummary>> run, Func<TSummary, int> exitCode, Action<TSummary, int> write,
        string stoppedEarly, string command = "copy")
    {
        var level = output.Verbose ? LogLevel.Debug : output.Quiet ? LogLevel.Warning : LogLevel.Information;
        // On a terminal the progress is a bar in a status line: stderr goes through it (the logger too, so it is set first).
        var terminal = Console.Error;
        var status = !output.Quiet && !Logging.Json && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb"
            ? new StatusLine(terminal, TerminalWidth)
            : null;
        if (status is not null)
        {
            Console.SetError(status);
        }

        using var loggerFactory = Logging.Create(level);
        using var stop = new StopSignalSource(output.DrainTimeout);
        IProgressObserver? observer = output.Quiet
            ? null
            : new ConsoleProgressObserver(Console.Error, TimeProvider.System,
                output.ProgressInterval ?? (Console.IsErrorRedirected ? ConsoleProgressObserver.LogInterval : ConsoleProgressObserver.TerminalInterval), status);

        // Flushes the log and erases the bar before a summary or an error, so stderr and stdout do not interleave
        // (stderr is given back to the terminal in the finally below).
        void Finish()
        {
            loggerFactory.Dispose();
            status?.Clear();
        }

        try
        {
            // --metricsListen: listening before anything is read, so an address that cannot be used stops the job first.
            await using var metrics = output.MetricsListen is { } listen ? PrometheusEndpoint.Start(listen) : null;
            using var meter = metrics is null ? null : new JobMeter(observer, command, output.Section);
            var summary = await run(loggerFactory, meter ?? observer, stop.Signals);
            var code = exitCode(summary);
            Finish();
            write(summary, code);
            return code;
        }
        catch (DdbCopyException ex)
        {
            Finish();
            return await FailureReport.WriteAsync(output.Format, ex.Message, ExitCodes.For(ex.Kind), source, destinationTable, command);
        }
        catch (Exception ex) when (ErrorClassifier.Find<EndpointLostException>(ex) is not null)
        {
            // An endpoint that stopped answering, wherever the engine met it: the user's network or endpoint, one line.
            Finish();
            return await FailureReport.WriteAsync(output.Format, ErrorText.Describe(ex), ExitCodes.For(FailureKind.Environment), source, destinationTable, command);
        }
        catch (OperationCanceledException) when (stop.Signals.Hard.IsCancellationRequested || stop.Signals.Graceful.IsCancellationRequested)
        {
            Finish();
            return await FailureReport.WriteAsync(output.Format, stoppedEarly, ExitCodes.Interrupted, source, destinationTable, command);
        }
        finally
        {
            // An internal error on its way to Program's handler: the bar goes, and stderr is the terminal again.
            status?.Clear();
            Console.SetError(terminal);
        }
    }

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 120;
        }
        catch (IOException)
        {
            return 120;
        }
    }
}
