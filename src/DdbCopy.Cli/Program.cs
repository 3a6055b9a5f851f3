using System.CommandLine;
using DdbCopy.Cli;
using DdbCopy.Cli.Commands;
using DdbCopy.Cli.Hosting;
using DdbCopy.Cli.Output;
using Microsoft.Extensions.Logging;

var root = CopyCommand.Create();
var parse = root.Parse(args);
var format = OutputSettings.FormatIn(args);
Logging.Json = OutputSettings.LogFormatIn(args) == "json";
if (parse.Errors.Count > 0)
{
    await FailureReport.WriteAsync(format, TypoSuggestions.Explain(parse), ExitCodes.Usage, command: parse.CommandResult.Command.Name);
    await StandardError.WriteAsync(LogLevel.Information, StandardError.Events.Usage, "Run 'ddbcopy --help' for usage.");
    return ExitCodes.Usage;
}

try
{
    // We handle Ctrl+C ourselves (graceful drain, then hard stop), so System.CommandLine must not.
    return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
}
catch (Exception ex)
{
    return await FailureReport.WriteAsync(format, $"internal error (please report it): {ex}", ExitCodes.InternalError, command: parse.CommandResult.Command.Name);
}
