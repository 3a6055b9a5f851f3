using System.Diagnostics;
using System.Text.Json;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Support;

/// <summary>Runs the real ddbcopy executable (the built ddbcopy.dll) as a child process.</summary>
public static class DdbCopyCli
{
    private static readonly string DllPath = Path.Combine(AppContext.BaseDirectory, "ddbcopy.dll");

    private static readonly Dictionary<string, string> Environment = new()
    {
        ["AWS_ACCESS_KEY_ID"] = "test",
        ["AWS_SECRET_ACCESS_KEY"] = "test",
        ["AWS_REGION"] = "us-east-1",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    public static Task<ProcessResult> RunAsync(params string[] args) => RunAsync(TimeSpan.FromMinutes(3), args);

    public static Task<ProcessResult> RunAsync(TimeSpan timeout, string[] args, Func<Process, Task>? whileRunning = null) =>
        ProcessRunner.RunAsync("dotnet", [DllPath, .. args], timeout, environment: Environment, whileRunning: whileRunning);

    /// <summary>Runs ddbcopy with more environment variables (an orchestrator's, say).</summary>
    public static Task<ProcessResult> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        ProcessRunner.RunAsync("dotnet", [DllPath, .. args], TimeSpan.FromMinutes(3),
            environment: Environment.Concat(environment).ToDictionary(e => e.Key, e => e.Value));

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
