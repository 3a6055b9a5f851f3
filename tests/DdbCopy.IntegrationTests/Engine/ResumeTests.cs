using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DdbCopy.Core.Formats;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;
using DdbCopy.TestSupport.Faults;
using Xunit.Abstractions;

namespace DdbCopy.IntegrationTests.Engine;

/// <summary>
/// Checkpoints through the real CLI against DynamoDB Local: a copy killed with SIGKILL or stopped with Ctrl+C, an
/// export killed part-way and an import stopped part-way each finish with --resume, exactly; another job's checkpoint
/// is refused, and a finished job says so.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed partial class ResumeTests(DynamoDbFixture db, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Items = DynamoDbFixture.SharedItemCount;
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-resume-").FullName;

    private string CheckpointPath => Path.Combine(_folder, "job.checkpoint.json");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [GeneratedRegex(@"pages of at most (\d+) items")]
    private static partial Regex PageLimit();

    private string[] Copy(string source, string destination, params string[] extra) => CopyVia(db.Endpoint, source, destination, extra);

    private string[] CopyVia(string sourceEndpoint, string source, string destination, params string[] extra) =>
    [
        "--sourceEndpoint", sourceEndpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
        "--checkpointFile", CheckpointPath, "--deadLetterFile", Path.Combine(_folder, "dl.jsonl"), .. extra,
    ];

    /// <summary>Items settled so far according to the checkpoint file (0 while there is none).</summary>
    private long SettledInCheckpoint()
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(CheckpointPath));
            return document.RootElement.GetProperty("totals").GetProperty("scanned").GetInt64();
        }
        catch (Exception ex) when (ex is IOException or JsonException or KeyNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>Waits until the checkpoint has settled at least <paramref name="items"/>, then does <paramref name="stop"/>.</summary>
    private Func<Process, Task> When(long items, Action<Process> stop) => async process =>
    {
        var watch = Stopwatch.StartNew();
        while (SettledInCheckpoint() < items && !process.HasExited && watch.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(20);
        }

        output.WriteLine($"stopping at {SettledInCheckpoint()} settled items, {watch.Elapsed.TotalSeconds:0.0} s");
        stop(process);
    };

    private static void Interrupt(Process process)
    {
        using var kill = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    [Fact]
    public async Task Copy_KilledAtHalfWithSigkill_ResumesToExactContentsReadingAtMostASecondOfWritesAgain()
    {
        var source = await db.SharedSourceAsync();
        var destination = await _tables.CreateAsync("resume-kill", writeUnits: 10_000);
        string[] flags = ["--segments", "4", "--writeCapacityUnits", "2000", "--output", "json"];
        await using var proxy = await FaultProxy.StartAsync(db.Endpoint); // counts the items the killed run read, with its own parser

        var killed = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(3), CopyVia(proxy.Url, source, destination, flags),
            When(Items / 2, p => p.Kill()));
        var readBeforeTheKill = proxy.Stats["items:Scan"];
        var resumed = await DdbCopyCli.RunAsync(Copy(source, destination, [.. flags, "--resume"]));

        Assert.NotEqual(0, killed.ExitCode);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var summary = DdbCopyCli.Summary(resumed);
        Assert.True(summary.GetProperty("complete").GetBoolean());
        var settled = summary.GetProperty("resumed").GetInt64();
        Assert.InRange(settled, Items / 2, Items - 1);
        Assert.Equal(Items, summary.GetProperty("scanned").GetInt64()); // the whole job: every item once
        Assert.Equal(Items, summary.GetProperty("written").GetInt64());
        var pageLimit = int.Parse(PageLimit().Match(killed.StandardError).Groups[1].Value, CultureInfo.InvariantCulture);
        var readAgain = readBeforeTheKill - settled; // read by the killed run, not settled in its checkpoint: read again
        output.WriteLine($"{proxy}; read again after the kill: {readAgain} items; pages of at most {pageLimit} items, 4 segments");
        // What was read and not yet written when the kill came: the page each segment was queueing (pages hold a quarter
        // second of the writes of the segments read at once), the queue (a tenth of a second of the writes), the writes
        // in flight, and at most 100 ms of settled batches not yet saved: about half a second of the 2,000 WCU at most.
        // Measured 500-700 items (pages of 125 items); before positions moved by batch and pages followed the writes,
        // 2,400-3,300 (pages of 831 items, settled as a whole).
        // Measured: 500-700 with the JIT build; 1,400 once with the NativeAOT binary (2026-12-06), which has more in flight
        // when the kill lands. The bound is one second of the budget: 2,000 items (a page per segment was 2,400-3,300).
        // Once (2026-12-06, JIT) 1,750 while another test class ran beside it: the round trip grew, and with it the writes in
        // flight (sized by Little's law), which a kill leaves unsettled. The pages themselves are checked against the design:
        // the 4 segments' pages hold at most a quarter second of the budget.
        Assert.InRange(readAgain, 0, 2_000);
        Assert.InRange(4 * pageLimit, 1, 2_000 / 4);
        Assert.Contains("Resuming from the checkpoint", resumed.StandardError, StringComparison.Ordinal);
        await AssertSameItemsAsync(source, destination);
    }

    [Fact]
    public async Task Copy_StoppedWithCtrlC_ResumesWithoutReadingAnythingTwice()
    {
        var source = await db.SharedSourceAsync();
        var destination = await _tables.CreateAsync("resume-int", writeUnits: 10_000);
        string[] flags = ["--writeCapacityUnits", "2000", "--output", "json"];

        var stopped = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(3), Copy(source, destination, flags), When(Items / 4, Interrupt));
        var resumed = await DdbCopyCli.RunAsync(Copy(source, destination, [.. flags, "--resume"]));

        Assert.Equal(130, stopped.ExitCode);
        Assert.Contains("--resume", stopped.StandardOutput + stopped.StandardError, StringComparison.Ordinal);
        var first = DdbCopyCli.Summary(stopped);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var summary = DdbCopyCli.Summary(resumed);
        Assert.Equal(first.GetProperty("written").GetInt64(), summary.GetProperty("resumed").GetInt64());
        Assert.Equal(Items, summary.GetProperty("scanned").GetInt64()); // a graceful stop settles all it read: nothing is read twice
        Assert.Equal(Items, summary.GetProperty("written").GetInt64());
        await AssertSameItemsAsync(source, destination);
    }

    [Fact]
    public async Task Copy_KilledWhileTheDestinationIsBoosted_ResumedRunRestoresTheCapacityFromBeforeTheBoost()
    {
        var source = await _tables.CreateAsync("resume-boost-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(4_000));
        var destination = await _tables.CreateAsync("resume-boost-dst", readUnits: 20, writeUnits: 100);
        string[] flags = ["--boostWriteCapacity", "1000", "--writeThroughputRatio", "0.5", "--output", "json"];

        var killed = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(3), Copy(source, destination, flags), When(1_000, p => p.Kill()));
        var left = (await db.Client.DescribeTableAsync(destination)).Table.ProvisionedThroughput;
        var resumed = await DdbCopyCli.RunAsync(Copy(source, destination, [.. flags, "--resume"]));

        Assert.NotEqual(0, killed.ExitCode);
        Assert.Equal(1000, left.WriteCapacityUnits); // nothing could restore it: the process was killed
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains($"Capacity of {destination}: restored to 20 RCU / 100 WCU", resumed.StandardError, StringComparison.Ordinal);
        var restored = (await db.Client.DescribeTableAsync(destination)).Table.ProvisionedThroughput;
        Assert.Equal((20L, 100L), (restored.ReadCapacityUnits!.Value, restored.WriteCapacityUnits!.Value));
        Assert.DoesNotContain("boostedFrom", File.ReadAllText(CheckpointPath), StringComparison.Ordinal);
        await AssertSameItemsAsync(source, destination);
    }

    [Fact]
    public async Task Export_KilledPartWay_ResumesIntoOneExportThatImportsExactly()
    {
        var source = await db.SharedSourceAsync();
        var to = Path.Combine(_folder, "export");
        string[] export = ["export", "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--to", to, "--readCapacityUnits", "400",
            "--maxFileSizeMb", "1", "--segments", "4", "--checkpointFile", CheckpointPath, "--output", "json"];

        var killed = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(3), export, When(Items / 3, p => p.Kill()));
        var resumed = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(3), [.. export, "--resume"]);

        Assert.NotEqual(0, killed.ExitCode);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var summary = DdbCopyCli.Summary(resumed);
        Assert.True(summary.GetProperty("complete").GetBoolean());
        Assert.InRange(summary.GetProperty("resumed").GetInt64(), Items / 3, Items - 1);
        var manifest = ExportManifest.ReadSummary(File.ReadAllText(Path.Combine(to, ExportManifest.SummaryName)));
        Assert.Equal(Items, manifest.ItemCount);
        var files = ExportManifest.ReadFiles(File.ReadAllText(Path.Combine(to, ExportManifest.FilesName)));
        Assert.Contains(files, f => f.DataFileS3Key.Contains("/r2-", StringComparison.Ordinal));
        Assert.Equal(files.Count, Directory.GetFiles(Path.Combine(to, ExportManifest.DataFolder)).Length); // nothing left over from the kill

        var destination = await _tables.CreateAsync("resume-export-dst", writeUnits: 10_000);
        var imported = await DdbCopyCli.RunAsync("import", "--from", to, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            "--checkpointFile", Path.Combine(_folder, "import.checkpoint.json"));
        Assert.True(imported.ExitCode == 0, imported.ToString());
        Assert.Contains($"{Items} items", imported.StandardError, StringComparison.Ordinal); // the manifest check: counts and checksums
        await AssertSameItemsAsync(source, destination);
    }

    [Fact]
    public async Task Import_StoppedWithCtrlC_ResumesByFileAndLine()
    {
        var source = await db.SharedSourceAsync();
        var to = Path.Combine(_folder, "export");
        var exported = await DdbCopyCli.RunAsync("export", "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--to", to, "--maxFileSizeMb", "4",
            "--checkpointFile", Path.Combine(_folder, "export.checkpoint.json"));
        Assert.True(exported.ExitCode == 0, exported.ToString());
        var destination = await _tables.CreateAsync("resume-import", writeUnits: 10_000);
        string[] import = ["import", "--from", to, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination, "--writeCapacityUnits", "2000",
            "--checkpointFile", CheckpointPath, "--output", "json"];

        var stopped = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(3), import, When(Items / 3, Interrupt));
        var lane = JsonDocument.Parse(File.ReadAllText(CheckpointPath)).RootElement.GetProperty("lanes")[0];
        var resumed = await DdbCopyCli.RunAsync([.. import, "--resume"]);

        Assert.Equal(130, stopped.ExitCode);
        Assert.StartsWith("data/", lane.GetProperty("file").GetString(), StringComparison.Ordinal);
        Assert.True(lane.GetProperty("line").GetInt64() > 0);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var summary = DdbCopyCli.Summary(resumed);
        Assert.Equal(DdbCopyCli.Summary(stopped).GetProperty("written").GetInt64(), summary.GetProperty("resumed").GetInt64());
        Assert.Equal(Items, summary.GetProperty("scanned").GetInt64());
        Assert.Equal(Items, summary.GetProperty("written").GetInt64());
        await AssertSameItemsAsync(source, destination);
    }

    [Fact]
    public async Task Resume_WithTheCheckpointOfAnotherJob_IsRefusedAndWritesNothing()
    {
        var source = await _tables.CreateAsync("resume-other-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(50, 200));
        var first = await _tables.CreateAsync("resume-other-a");
        var second = await _tables.CreateAsync("resume-other-b");
        var done = await DdbCopyCli.RunAsync(Copy(source, first));
        Assert.True(done.ExitCode == 0, done.ToString());

        var refused = await DdbCopyCli.RunAsync(Copy(source, second, "--resume"));

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("it is the checkpoint of another job (destination: ", refused.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", refused.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, await Tables.CountAsync(db.Client, second));
    }

    [Fact]
    public async Task Resume_OfAFinishedJob_SaysSoAndWritesNothing()
    {
        var source = await _tables.CreateAsync("resume-done-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(50, 200));
        var destination = await _tables.CreateAsync("resume-done-dst");
        var done = await DdbCopyCli.RunAsync(Copy(source, destination));
        Assert.True(done.ExitCode == 0, done.ToString());
        await db.Client.DeleteItemAsync(destination, new Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue> { ["pk"] = new() { S = ItemFactory.Sized(0, 200)["pk"].S } });

        var again = await DdbCopyCli.RunAsync(Copy(source, destination, "--resume", "--output", "json"));

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("nothing to resume", again.StandardError, StringComparison.Ordinal);
        Assert.Equal(50, DdbCopyCli.Summary(again).GetProperty("resumed").GetInt64());
        Assert.Equal(49, await Tables.CountAsync(db.Client, destination)); // nothing was copied again
    }

    [Fact]
    public async Task Resume_IntoADestinationDeletedSince_IsRefusedBeforeAnythingIsCreated()
    {
        var source = await _tables.CreateAsync("resume-gone-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(20, 200));
        var destination = await _tables.CreateAsync("resume-gone-dst");
        var done = await DdbCopyCli.RunAsync(Copy(source, destination));
        Assert.True(done.ExitCode == 0, done.ToString());
        await db.Client.DeleteTableAsync(destination);

        var refused = await DdbCopyCli.RunAsync(Copy(source, destination, "--resume", "--createDestination"));

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains($"the destination table '{destination}' it was copying into no longer exists", refused.StandardError, StringComparison.Ordinal);
        Assert.Null((await db.Client.ListTablesAsync()).TableNames.FirstOrDefault(n => n == destination));
    }

    [Fact]
    public async Task Resume_OfAnImportWithAnotherMapping_IsRefused()
    {
        var csv = Path.Combine(_folder, "rows.csv");
        await File.WriteAllTextAsync(csv, "pk,n\na,1\nb,2\n");
        var destination = await _tables.CreateAsync("resume-mapping");
        string[] import = ["import", "--from", csv, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination, "--checkpointFile", CheckpointPath];
        var first = await DdbCopyCli.RunAsync([.. import, "--column", "n:N"]);
        Assert.True(first.ExitCode == 0, first.ToString());

        var refused = await DdbCopyCli.RunAsync([.. import, "--column", "n:S", "--resume"]);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("it is the checkpoint of another job (options: format auto; csv columns [n:N]", refused.StandardError, StringComparison.Ordinal);
    }

    private async Task AssertSameItemsAsync(string source, string destination)
    {
        var expected = (await Tables.ScanAllAsync(db.Client, source)).Select(ItemFactory.Canonical).Order().ToList();
        var actual = (await Tables.ScanAllAsync(db.Client, destination)).Select(ItemFactory.Canonical).Order().ToList();
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected, actual);
    }
}
