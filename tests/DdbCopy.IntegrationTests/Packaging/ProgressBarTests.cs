using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Packaging;

/// <summary>
/// On a terminal (a real pseudo-terminal, made by util-linux's <c>script</c>) the progress is one bar redrawn in place;
/// in a log (stderr redirected) it stays plain lines.
/// </summary>
[Collection(DynamoDbCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ProgressBarTests(DynamoDbFixture db) : IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-bar-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [Fact]
    public async Task OnATerminal_TheProgressIsABarRedrawnInPlace_InALogItIsLines()
    {
        var source = await _tables.CreateAsync("bar-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(1_500));
        var destination = await _tables.CreateAsync("bar-dst");
        string[] copy = ["--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            "--writeCapacityUnits", "500", "--checkpointFile", Path.Combine(_folder, "bar.json")];
        var (file, arguments) = DdbCopyCli.Command(copy);

        var onTerminal = await ProcessRunner.RunAsync("script", ["-qec", string.Join(' ', arguments.Prepend(file).Select(Quote)), "/dev/null"],
            TimeSpan.FromMinutes(2), environment: DdbCopyCli.With(new Dictionary<string, string> { ["TERM"] = "xterm" }));
        File.Delete(Path.Combine(_folder, "bar.json"));
        var inALog = await DdbCopyCli.RunAsync([.. copy, "--progressIntervalSeconds", "0.5"]);

        Assert.True(onTerminal.ExitCode == 0, onTerminal.ToString());
        // The terminal shows stdout and stderr alike; the process runner reads a carriage return as a line break, so the
        // bar's "erase the line and draw again" is seen as ESC [K at the start of a line.
        var screen = onTerminal.StandardOutput;
        Assert.Contains("\u001b[K[", screen, StringComparison.Ordinal);
        Assert.Contains("] ", screen, StringComparison.Ordinal);
        Assert.Contains("of ~1500 items", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("progress: ", screen, StringComparison.Ordinal);
        Assert.True(screen.Split("\u001b[K[").Length > 2, "the bar is redrawn: " + screen);
        Assert.Contains("\u001b[KComplete: wrote 1500 of 1500 items", screen, StringComparison.Ordinal); // the summary, where the bar was erased
        Assert.True(inALog.ExitCode == 0, inALog.ToString());
        Assert.Contains("progress: ", inALog.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[K", inALog.StandardError, StringComparison.Ordinal);
    }
}
