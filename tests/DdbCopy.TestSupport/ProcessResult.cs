namespace DdbCopy.TestSupport;

/// <summary>How a process ended and what it printed.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed, bool TimedOut, TimeSpan? FirstOutputAt = null)
{
    /// <summary>Each stderr line with when it arrived, measured by the test from the process start.</summary>
    public IReadOnlyList<(TimeSpan At, string Line)> ErrorLines { get; init; } = [];

    public override string ToString() =>
        $"exit {ExitCode}{(TimedOut ? " (timed out)" : "")} after {Elapsed.TotalSeconds:0.0} s\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}
