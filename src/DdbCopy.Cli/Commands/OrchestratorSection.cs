using System.Globalization;

namespace DdbCopy.Cli.Commands;

/// <summary>
/// The section of a job run by an orchestrator, when --section is not given: a Kubernetes Indexed Job gives each pod
/// JOB_COMPLETION_INDEX, an AWS Batch array job each child AWS_BATCH_JOB_ARRAY_INDEX (the number of sections is
/// --totalSections either way).
/// </summary>
internal static class OrchestratorSection
{
    public static readonly (string Variable, string Orchestrator)[] Variables =
    [
        ("JOB_COMPLETION_INDEX", "a Kubernetes Indexed Job"),
        ("AWS_BATCH_JOB_ARRAY_INDEX", "an AWS Batch array job"),
    ];

    /// <summary>The first of <see cref="Variables"/> that is set, with its value (null when none is).</summary>
    public static (string Variable, string Orchestrator, string Value)? Find(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var (variable, orchestrator) in Variables)
        {
            if (environment(variable) is { Length: > 0 } value)
            {
                return (variable, orchestrator, value.Trim());
            }
        }

        return null;
    }

    /// <summary>The section number in a variable's value, or null when it is not one.</summary>
    public static int? Number(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var section) ? section : null;

    /// <summary>--section's value: a number, or "follow" (<see cref="CopyOptions.FollowerSection"/>).</summary>
    public static int Parse(System.CommandLine.Parsing.ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : "";
        if (string.Equals(text, "follow", StringComparison.OrdinalIgnoreCase))
        {
            return CopyOptions.FollowerSection;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        result.AddError($"--section takes a section number, or 'follow' (got '{text}').");
        return 0;
    }

    /// <summary>Where the section came from, for the log: "--section", or the variable and its orchestrator.</summary>
    public static string Describe((string Variable, string Orchestrator, string Value)? found) =>
        found is { } f ? $"{f.Variable}={f.Value}, from {f.Orchestrator}" : "--section";
}
