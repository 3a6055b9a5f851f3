using System.CommandLine;
using DdbCopy.Cli;
using DdbCopy.Cli.Commands;

var root = CopyCommand.Create();
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        await Console.Error.WriteLineAsync($"ddbcopy: {error.Message}");
    }

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
    await Console.Error.WriteLineAsync($"ddbcopy: internal error (please report it): {ex}");
    return ExitCodes.InternalError;
}
