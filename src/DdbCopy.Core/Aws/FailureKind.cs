namespace DdbCopy.Core.Aws;

/// <summary>What kind of problem stopped a run; the CLI maps each kind to a documented exit code.</summary>
public enum FailureKind
{
    /// <summary>The command line itself is wrong (missing flag, bad value).</summary>
    Usage,

    /// <summary>The world is not as the command needs it: table missing, schema mismatch, endpoint unreachable, access denied.</summary>
    Environment,

    /// <summary>A fatal error during the copy (for example the source table was deleted).</summary>
    CopyFailed,
}
