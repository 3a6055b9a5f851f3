using System.Diagnostics;
using System.Text.Json;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Support;

/// <summary>Runs the real ddbcopy executable (the built ddbcopy.dll) as a child process.</summary>
public static class DdbCopyCli
{
    private static readonly string DllPath = Path.Combine(AppContext.BaseDirectory, "ddbcopy.dll");

    /// <summary>
    /// Which build the tests run: the native binary at <c>DDBCOPY_TEST_BINARY</c> when set (scripts/test.sh runs the
    /// integration suite once more with the NativeAOT build), else the JIT build next to the tests (<c>dotnet ddbcopy.dll</c>).
    /// </summary>
    public static string? NativeBinary { get; } = System.Environment.GetEnvironmentVariable("DDBCOPY_TEST_BINARY") is { Length: > 0 } binary
        ? File.Exists(binary) ? Path.GetFullPath(binary) : throw new FileNotFoundException($"DDBCOPY_TEST_BINARY names no file: {binary}")
        : null;

    /// <summary>The program and arguments that run ddbcopy with <paramref name="args"/> (for a shell script that runs it as `ddbcopy`).</summary>
    public static (string File, string[] Arguments) Command(string[] args) => NativeBinary is { } native ? (native, args) : ("dotnet", [DllPath, .. args]);

    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = "test",
        ["AWS_SECRET_ACCESS_KEY"] = "test",
        ["AWS_REGION"] = "us-east-1",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        // Default checkpoints go to the state folder: one of this test run's own, not the user's ~/.local/state.
        ["XDG_STATE_HOME"] = Directory.CreateTempSubdirectory("ddbcopy-tests-state-").FullName,
    };

    public static Task<ProcessResult> RunAsync(params string[] args) => RunAsync(TimeSpan.FromMinutes(3), args);

    public static Task<ProcessResult> RunAsync(TimeSpan timeout, string[] args, Func<Process, Task>? whileRunning = null)
    {
        var (file, arguments) = Command(args);
        return ProcessRunner.RunAsync(file, arguments, timeout, environment: Environment, whileRunning: whileRunning);
    }

    /// <summary>Runs ddbcopy with more environment variables (an orchestrator's, say).</summary>
    public static Task<ProcessResult> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var (file, arguments) = Command(args);
        return ProcessRunner.RunAsync(file, arguments, TimeSpan.FromMinutes(3),
            environment: With(environment));
    }

    /// <summary>Runs ddbcopy with more environment variables, and something to do while it runs (kill it, say).</summary>
    public static Task<ProcessResult> RunAsync(IReadOnlyDictionary<string, string> environment, TimeSpan timeout, string[] args,
        Func<Process, Task>? whileRunning = null)
    {
        var (file, arguments) = Command(args);
        return ProcessRunner.RunAsync(file, arguments, timeout,
            environment: With(environment), whileRunning: whileRunning);
    }

    /// <summary><see cref="Environment"/> with <paramref name="more"/> added; a variable in both takes <paramref name="more"/>'s value.</summary>
    public static Dictionary<string, string> With(IReadOnlyDictionary<string, string> more)
    {
        var all = new Dictionary<string, string>(Environment);
        foreach (var (name, value) in more)
        {
            all[name] = value;
        }

        return all;
    }

    /// <summary>The JSON summary printed with --output json.</summary>
    public static JsonElement Summary(ProcessResult result)
    {
        try
        {
            return JsonDocument.Parse(result.StandardOutput).RootElement;
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"stdout is not a JSON summary: {result}", ex);
        }
    }
}
