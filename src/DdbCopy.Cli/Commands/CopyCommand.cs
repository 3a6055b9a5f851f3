using System.CommandLine;
using DdbCopy.Cli.Hosting;
using DdbCopy.Cli.Output;
using DdbCopy.Core.Copying;
using DdbCopy.Core.Errors;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Cli.Commands;

/// <summary>The root command: copy one DynamoDB table into another (a drop-in for dynamodb-import-export-tool).</summary>
internal static class CopyCommand
{
    public static RootCommand Create()
    {
        var command = new RootCommand(
            "Copies one DynamoDB table into another within a capacity budget, retrying throttled writes and reporting every item it could not write.");
        foreach (var option in CopyOptions.All)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(CopyValidation.Command);
        command.SetAction((parse, _) => RunAsync(parse));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse)
    {
        var settings = CopySettingsBinder.Bind(parse);
        var format = parse.GetRequiredValue(CopyOptions.Output);
        var quiet = parse.GetValue(CopyOptions.Quiet);
        var level = parse.GetValue(CopyOptions.Verbose) ? LogLevel.Debug : quiet ? LogLevel.Warning : LogLevel.Information;

        using var loggerFactory = Logging.Create(level);
        using var stop = new StopSignalSource();
        var observer = quiet || Console.IsErrorRedirected ? null : new ConsoleProgressObserver(Console.Error, TimeProvider.System);
        try
        {
            var summary = await new CopyRunner(loggerFactory, TimeProvider.System).RunAsync(settings, observer, stop.Signals);
            var exitCode = summary.Complete ? ExitCodes.Success : summary.Interrupted ? ExitCodes.Interrupted : ExitCodes.Incomplete;
            loggerFactory.Dispose(); // Flush the log before the summary, so stderr and stdout do not interleave.
            SummaryWriter.Write(Console.Out, format, settings, summary, exitCode);
            return exitCode;
        }
        catch (DdbCopyException ex)
        {
            loggerFactory.Dispose();
            await Console.Error.WriteLineAsync($"ddbcopy: {ex.Message}");
            return ex.Kind switch
            {
                FailureKind.Usage => ExitCodes.Usage,
                FailureKind.Environment => ExitCodes.Environment,
                _ => ExitCodes.Incomplete,
            };
        }
        catch (OperationCanceledException) when (stop.Signals.Hard.IsCancellationRequested || stop.Signals.Graceful.IsCancellationRequested)
        {
            loggerFactory.Dispose();
            await Console.Error.WriteLineAsync("ddbcopy: stopped before the copy began; nothing was written.");
            return ExitCodes.Interrupted;
        }
    }
}
