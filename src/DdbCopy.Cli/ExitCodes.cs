namespace DdbCopy.Cli;

/// <summary>The documented exit codes of ddbcopy (see README.md, "Exit codes").</summary>
public static class ExitCodes
{
    /// <summary>Every scanned item was written.</summary>
    public const int Success = 0;

    /// <summary>An unexpected internal error (a bug): the message and a stack trace are printed.</summary>
    public const int InternalError = 1;

    /// <summary>The command line is wrong; nothing was read or written.</summary>
    public const int Usage = 2;

    /// <summary>A table, endpoint, credential or schema problem found before the first write; nothing was written.</summary>
    public const int Environment = 3;

    /// <summary>The copy ran but not every item was copied (items failed after retries, or a fatal error stopped it).</summary>
    public const int Incomplete = 4;

    /// <summary>`ddbcopy schema diff`: the definitions differ.</summary>
    public const int Differences = 5;

    /// <summary>Stopped by Ctrl+C or SIGTERM; the summary says what was written.</summary>
    public const int Interrupted = 130;

    /// <summary>The one mapping of a user-facing failure to its exit code: every command uses it.</summary>
    public static int For(Core.Aws.FailureKind kind) => kind switch
    {
        Core.Aws.FailureKind.Usage => Usage,
        Core.Aws.FailureKind.Environment => Environment,
        _ => Incomplete,
    };

    /// <summary>The exit code of a run that produced a summary.</summary>
    public static int For(Core.Engine.TransferSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return summary.Complete ? Success : summary.Interrupted ? Interrupted : Incomplete;
    }
}
