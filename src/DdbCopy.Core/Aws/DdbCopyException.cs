namespace DdbCopy.Core.Aws;

/// <summary>
/// An error the user can act on. Its message is a complete one-line sentence and is printed as is, without a stack trace.
/// </summary>
public sealed class DdbCopyException : Exception
{
    public DdbCopyException(FailureKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public FailureKind Kind { get; }
}
