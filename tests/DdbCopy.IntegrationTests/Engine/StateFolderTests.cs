using System.Diagnostics;
using System.Text.Json;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;
using Xunit.Abstractions;

namespace DdbCopy.IntegrationTests.Engine;

/// <summary>
/// Default checkpoints live in the state folder ($XDG_STATE_HOME/ddbcopy), not the working directory: a killed copy
/// leaves its checkpoint there, <c>--resume</c> finds it, <c>ddbcopy jobs</c> lists it and <c>--prune</c> removes it once
/// finished; a checkpoint an older version left in the working directory is still found by <c>--resume</c>.
/// </summary>
[Collection(DynamoDbCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StateFolderTests(DynamoDbFixture db, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Items = 2_000;
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-state-").FullName;

    private string State => Path.Combine(_folder, "state-home");

    private string Work => Directory.CreateDirectory(Path.Combine(_folder, "work")).FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Runs the real ddbcopy in <see cref="Work"/> with XDG_STATE_HOME at <see cref="State"/>.</summary>
    private Task<ProcessResult> RunAsync(string[] args, Func<Process, Task>? whileRunning = null)
    {
        var (file, arguments) = DdbCopyCli.Command(args);
        return ProcessRunner.RunAsync(file, arguments, TimeSpan.FromMinutes(3), Work,
            new Dictionary<string, string>(DdbCopyCli.Environment) { ["XDG_STATE_HOME"] = State }, whileRunning);
    }

    private string[] Copy(string source, string destination, params string[] extra) =>
    [
        "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
        "--writeCapacityUnits", "400", "--output", "json", "--deadLetterFile", Path.Combine(_folder, "dl.jsonl"), .. extra,
    ];

    /// <summary>Kills the run once <paramref name="checkpoint"/> records some written items.</summary>
    private Func<Process, Task> KillWhenWritten(string checkpoint) => async process =>
    {
        var watch = Stopwatch.StartNew();
        while (Written(checkpoint) < 200 && !process.HasExited && watch.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(20);
        }

        output.WriteLine($"killing at {Written(checkpoint)} written items");
        process.Kill();
    };

    private static long Written(string checkpoint)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(checkpoint));
            return json.RootElement.GetProperty("totals").GetProperty("written").GetInt64();
        }
        catch (Exception ex) when (ex is IOException or JsonException or KeyNotFoundException)
        {
            return 0;
        }
    }

    private async Task<(string Source, string Destination)> TablesAsync(string prefix)
    {
        var source = await _tables.CreateAsync(prefix + "-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(Items, bytes: 900));
        return (source, await _tables.CreateAsync(prefix + "-dst"));
    }

    [Fact]
    public async Task ADefaultCheckpoint_LandsInTheStateFolder_ResumeFindsIt_JobsListsIt_PruneRemovesItWhenFinished()
    {
        var (source, destination) = await TablesAsync("state");
        var checkpoint = Path.Combine(State, "ddbcopy", $"ddbcopy-copy-{source}-to-{destination}.checkpoint.json");

        var killed = await RunAsync(Copy(source, destination), KillWhenWritten(checkpoint));
        output.WriteLine(killed.ToString());
        Assert.True(File.Exists(checkpoint), killed.ToString());
        Assert.Empty(Directory.GetFiles(Work));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(checkpoint)!));

        var listed = await RunAsync(["jobs", "--output", "json"]);
        Assert.True(listed.ExitCode == 0, listed.ToString());
        var job = Assert.Single(JsonDocument.Parse(listed.StandardOutput).RootElement.GetProperty("jobs").EnumerateArray());
        Assert.Equal(checkpoint, job.GetProperty("checkpointFile").GetString());
        Assert.Equal("running", job.GetProperty("state").GetString()); // a kill leaves "running"
        Assert.Contains(source, job.GetProperty("source").GetString(), StringComparison.Ordinal);

        var resumed = await RunAsync(Copy(source, destination, "--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains($"Resuming from the checkpoint {checkpoint}", resumed.StandardError, StringComparison.Ordinal);
        Assert.Equal(Items, await Tables.CountAsync(db.Client, destination));

        var text = await RunAsync(["jobs"]);
        Assert.Contains("finished", text.StandardOutput, StringComparison.Ordinal);
        var pruned = await RunAsync(["jobs", "--prune", "--output", "json"]);
        Assert.True(pruned.ExitCode == 0, pruned.ToString());
        Assert.Equal(checkpoint, Assert.Single(JsonDocument.Parse(pruned.StandardOutput).RootElement.GetProperty("pruned").EnumerateArray()).GetString());
        Assert.False(File.Exists(checkpoint));
        Assert.Empty(Directory.GetFiles(Work));
    }

    [Fact]
    public async Task ACheckpointLeftInTheWorkingDirectory_IsStillFoundByResume()
    {
        var (source, destination) = await TablesAsync("state-legacy");
        var earlier = Path.Combine(Work, $"ddbcopy-copy-{source}-to-{destination}.checkpoint.json"); // where older versions kept it

        var killed = await RunAsync(Copy(source, destination, "--checkpointFile", earlier), KillWhenWritten(earlier));
        Assert.True(File.Exists(earlier), killed.ToString());
        var resumed = await RunAsync(Copy(source, destination, "--resume"));

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains($"Resuming from the checkpoint {earlier}", resumed.StandardError, StringComparison.Ordinal);
        Assert.Equal(Items, await Tables.CountAsync(db.Client, destination));
        Assert.False(Directory.Exists(Path.Combine(State, "ddbcopy")) && Directory.EnumerateFiles(Path.Combine(State, "ddbcopy")).Any());
    }
}
