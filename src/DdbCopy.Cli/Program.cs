using System.CommandLine;
using DdbCopy.Cli;
using DdbCopy.Cli.Commands;
using DdbCopy.Cli.Output;

var root = CopyCommand.Create();
var parse = root.Parse(args);
var format = FailureReport.FormatIn(args);
if (parse.Errors.Count > 0)
{
    await FailureReport.WriteAsync(format, TypoSuggestions.Explain(parse), ExitCodes.Usage, command: parse.CommandResult.Command.Name);
    await Console.Error.WriteLineAsync("Run 'ddbcopy --help' for usage.");
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
