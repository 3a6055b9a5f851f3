using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;
using Xunit.Abstractions;

namespace DdbCopy.IntegrationTests.Packaging;

/// <summary>
/// The ways users install ddbcopy, run for real: the dotnet tool package made by `dotnet pack`, installed from a local
/// folder, copies a table against DynamoDB Local; the GitHub Action's step runs that installed ddbcopy with its
/// inputs and sets the JSON summary as its output.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class InstallTests(DynamoDbFixture db, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-install-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static readonly Dictionary<string, string> Credentials = new()
    {
        ["AWS_ACCESS_KEY_ID"] = "test",
        ["AWS_SECRET_ACCESS_KEY"] = "test",
        ["AWS_REGION"] = "us-east-1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    private async Task<ProcessResult> RunAsync(string file, string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = await ProcessRunner.RunAsync(file, args, TimeSpan.FromMinutes(5), workingDirectory: _folder,
            environment: Credentials.Concat(environment ?? new Dictionary<string, string>()).ToDictionary(e => e.Key, e => e.Value));
        output.WriteLine($"{file} {string.Join(' ', args)}: {result}");
        return result;
    }

    [Fact]
    public async Task ToolPackage_InstalledFromALocalFolder_CopiesATable_AndTheActionStepRunsItWithItsInputs()
    {
        var source = await _tables.CreateAsync("tool-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(500));
        var destination = await _tables.CreateAsync("tool-dst");
        var actionDestination = await _tables.CreateAsync("action-dst");
        var packages = Path.Combine(_folder, "packages");
        var tools = Path.Combine(_folder, "tools");

        var pack = await RunAsync("dotnet", ["pack", Path.Combine(RepositoryPaths.Root, "src", "DdbCopy.Cli", "DdbCopy.Cli.csproj"), "-c", "Release",
            "-o", packages, "-p:Version=0.0.1-test", "-nologo", "-v", "q"]);
        Assert.True(pack.ExitCode == 0, pack.ToString());
        var install = await RunAsync("dotnet", ["tool", "install", "ddbcopy", "--tool-path", tools, "--add-source", packages, "--version", "0.0.1-test",
            "--ignore-failed-sources"]);
        Assert.True(install.ExitCode == 0, install.ToString());
        var ddbcopy = Path.Combine(tools, OperatingSystem.IsWindows() ? "ddbcopy.exe" : "ddbcopy");

        var version = await RunAsync(ddbcopy, ["--version"]);
        var copy = await RunAsync(ddbcopy, ["--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint,
            "--destinationTable", destination, "--readThroughputRatio", "0.3", "-o", "json"]);

        Assert.StartsWith("0.0.1-test", version.StandardOutput.Trim(), StringComparison.Ordinal);
        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Equal(500, DdbCopyCli.Summary(copy).GetProperty("written").GetInt64());
        Assert.Equal(500, await Tables.CountAsync(db.Client, destination));

        // The GitHub Action's step, with the installed ddbcopy instead of a downloaded release binary.
        var outputs = Path.Combine(_folder, "github-output");
        var action = await RunAsync("bash", [Path.Combine(RepositoryPaths.Root, "action", "run.sh")], new Dictionary<string, string>
        {
            ["DDBCOPY_BINARY"] = ddbcopy,
            ["GITHUB_OUTPUT"] = outputs,
            ["INPUT_SOURCETABLE"] = source,
            ["INPUT_DESTINATIONTABLE"] = actionDestination,
            ["INPUT_READTHROUGHPUTRATIO"] = "0.3",
            ["INPUT_SOURCEENDPOINT"] = db.Endpoint,
            ["INPUT_DESTINATIONENDPOINT"] = db.Endpoint,
            ["INPUT_ARGS"] = "--maxRetries 5",
        });

        Assert.True(action.ExitCode == 0, action.ToString());
        var written = File.ReadAllText(outputs);
        Assert.Contains("exit-code=0", written, StringComparison.Ordinal);
        var summary = written[(written.IndexOf('\n') + 1)..written.IndexOf("\nddbcopy_", StringComparison.Ordinal)];
        Assert.Equal(500, System.Text.Json.JsonDocument.Parse(summary).RootElement.GetProperty("written").GetInt64());
        Assert.Equal(500, await Tables.CountAsync(db.Client, actionDestination));
    }
}
