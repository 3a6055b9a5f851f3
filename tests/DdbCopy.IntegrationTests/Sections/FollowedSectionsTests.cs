using System.Diagnostics;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;
using Xunit.Abstractions;

namespace DdbCopy.IntegrationTests.Sections;

/// <summary>
/// A copy in sections with a follower (--section follow), each a process of the real CLI against DynamoDB Local while a
/// writer changes the source: once the writer stopped and the follower caught up, the destination equals the source,
/// with a section killed (SIGKILL) and resumed, and with the follower started after every section had ended.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class FollowedSectionsTests(DynamoDbFixture db, S3Fixture s3, ITestOutputHelper output) : IAsyncLifetime, IClassFixture<S3Fixture>
{
    private const int Items = 20_000;
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-followed-sections-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>One command line for every process of the job; only --section differs.</summary>
    private string[] Job(string source, string destination, string? section, params string[] extra) =>
    [
        "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
        "--totalSections", "3", .. section is null ? Array.Empty<string>() : ["--section", section], "--follow", "--stopWhenCaughtUp", "--writeCapacityUnits", "1000",
        "--checkpointFile", Path.Combine(_folder, "ck-{section}.json"), "--deadLetterFile", Path.Combine(_folder, "dl-{section}.jsonl"),
        "--output", "json", .. extra,
    ];

    private async Task<(string Source, string Destination)> TablesAsync(string prefix, int items = Items)
    {
        var source = await _tables.CreateAsync(prefix + "-src", readUnits: 10_000, writeUnits: 10_000);
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(items));
        await db.Client.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = source,
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_AND_OLD_IMAGES },
        });
        return (source, await _tables.CreateAsync(prefix + "-dst", writeUnits: 10_000));
    }

    private JsonElement? Checkpoint(string section) => Poll.ReadJson(Path.Combine(_folder, $"ck-{section}.json"));

    private static Task WaitForAsync(Func<bool> condition, string what) => Poll.UntilAsync(condition, what);

    private async Task AssertEqualAsync(string source, string destination, HashSet<string> deleted)
    {
        var expected = (await Tables.ScanAllAsync(db.Client, source)).Select(ItemFactory.Canonical).Order().ToList();
        var actual = (await Tables.ScanAllAsync(db.Client, destination)).ToList();
        Assert.DoesNotContain(actual, item => deleted.Contains(item["pk"].S)); // a key deleted during the scans does not come back
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected, actual.Select(ItemFactory.Canonical).Order().ToList());
    }

    private static void AssertFollowerCaughtUp(ProcessResult follower, int sections)
    {
        Assert.True(follower.ExitCode == 0, follower.ToString());
        Assert.Contains($"All {sections} sections finished their scans", follower.StandardError, StringComparison.Ordinal);
        var summary = DdbCopyCli.Summary(follower);
        Assert.True(summary.GetProperty("caughtUp").GetBoolean(), follower.ToString());
        Assert.True(summary.GetProperty("applied").GetInt64() > 0, follower.ToString());
        Assert.Equal(0, summary.GetProperty("streamDeadLettered").GetInt64());
    }

    [Fact]
    public async Task ThreeSectionsAndAFollower_WhileAWriterChangesTheSource_EndEqualToIt()
    {
        var (source, destination) = await TablesAsync("fsec");
        HashSet<string> deleted = [];
        ProcessResult[] sections = [];

        // The follower starts first and waits; the sections scan (about 20 s at 333 WCU each) while the writer changes the source.
        var follower = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(5), Job(source, destination, "follow"), async _ =>
        {
            var scans = Task.WhenAll(Enumerable.Range(0, 3).Select(i => DdbCopyCli.RunAsync(TimeSpan.FromMinutes(4), Job(source, destination, $"{i}"))));
            await WaitForAsync(() => Enumerable.Range(0, 3).All(i => Checkpoint($"{i}") is { } c && c.TryGetProperty("sectionStream", out JsonElement _)),
                "every section to record the stream");
            var writing = Stopwatch.StartNew();
            deleted = await SourceChanges.WriteAsync(db.Client, source, seed: 24, operations: 600, existing: Items, tag: "sections", output.WriteLine);
            output.WriteLine($"the writer took {writing.Elapsed.TotalSeconds:0.0} s; sections: "
                + string.Join(", ", Enumerable.Range(0, 3).Select(i => Checkpoint($"{i}")?.GetProperty("state").GetString())));
            Assert.True(Enumerable.Range(0, 3).All(i => Checkpoint($"{i}")?.GetProperty("state").GetString() == "running"),
                "the writer ended before every section's scan");
            sections = await scans;
        });

        foreach (var section in sections)
        {
            Assert.True(section.ExitCode == 0, section.ToString());
        }

        // Items the writer added or deleted during the scans move the sum a little.
        Assert.InRange(sections.Sum(s => DdbCopyCli.Summary(s).GetProperty("written").GetInt64()), Items - 1_500, Items + 1_500);
        AssertFollowerCaughtUp(follower, 3);
        Assert.NotEmpty(deleted);
        await AssertEqualAsync(source, destination, deleted);
    }

    [Fact]
    public async Task ASectionKilledAndResumed_AndAFollowerStartedByItsIndexAfterEverySection_EndEqual()
    {
        var (source, destination) = await TablesAsync("fsec-kill");
        var others = Task.WhenAll(new[] { 0, 2 }.Select(i => DdbCopyCli.RunAsync(TimeSpan.FromMinutes(4), Job(source, destination, $"{i}"))));
        Task<HashSet<string>>? writer = null;
        var killed = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(4), Job(source, destination, "1"), async process =>
        {
            await WaitForAsync(() => Enumerable.Range(0, 3).All(i => Checkpoint($"{i}") is { } c && c.TryGetProperty("sectionStream", out JsonElement _)),
                "every section to record the stream");
            writer = SourceChanges.WriteAsync(db.Client, source, seed: 25, operations: 1_000, existing: Items, tag: "killed", output.WriteLine);
            await WaitForAsync(() => Checkpoint("1")?.GetProperty("totals").GetProperty("written").GetInt64() > 3_000, "section 1 to be half-way");
            process.Kill(); // SIGKILL
        });
        Assert.NotEqual(0, killed.ExitCode);
        Assert.Equal("running", Checkpoint("1")?.GetProperty("state").GetString());

        var resumed = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(4), Job(source, destination, "1", "--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("Resuming", resumed.StandardError, StringComparison.OrdinalIgnoreCase);
        foreach (var section in await others)
        {
            Assert.True(section.ExitCode == 0, section.ToString());
        }

        var deleted = await writer!;

        // Index 3 of an Indexed Job with 4 completions is the follower; it starts after every section ended, from the stream's oldest record.
        var follower = await DdbCopyCli.RunAsync(new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "3" }, TimeSpan.FromMinutes(4),
            Job(source, destination, null));
        AssertFollowerCaughtUp(follower, 3);
        Assert.Contains("The follower of a copy in 3 sections (JOB_COMPLETION_INDEX=3, from a Kubernetes Indexed Job)", follower.StandardError, StringComparison.Ordinal);
        Assert.NotEmpty(deleted);
        await AssertEqualAsync(source, destination, deleted);
    }

    [Fact]
    public async Task CheckpointsInS3_AreWhereTheFollowerSeesTheSections_AndEachIsReplacedWhole()
    {
        var (source, destination) = await TablesAsync("fsec-s3", items: 3_000);
        var prefix = $"s3://{s3.Bucket}/job-{Guid.NewGuid():N}";
        string[] S3Job(string section) =>
        [
            "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            "--totalSections", "3", "--section", section, "--follow", "--stopWhenCaughtUp", "--writeCapacityUnits", "600",
            "--checkpointFile", prefix + "/ck-{section}.json", "--s3Endpoint", s3.Endpoint, "--output", "json",
            "--deadLetterFile", Path.Combine(_folder, "s3-dl-{section}.jsonl"),
        ];
        Task<string?> ObjectAsync(string name) => s3.ReadAsync(prefix + "/" + name);

        HashSet<string> deleted = [];
        ProcessResult[] sections = [];
        var follower = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(4), S3Job("follow"), async _ =>
        {
            var scans = Task.WhenAll(Enumerable.Range(0, 3).Select(i => DdbCopyCli.RunAsync(TimeSpan.FromMinutes(3), S3Job($"{i}"))));
            var watch = Stopwatch.StartNew();
            while ((await Task.WhenAll(Enumerable.Range(0, 3).Select(i => ObjectAsync($"ck-{i}.json")))).Any(text => text?.Contains("\"sectionStream\"", StringComparison.Ordinal) != true))
            {
                Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), "every section to record the stream in S3");
                await Task.Delay(100);
            }

            deleted = await SourceChanges.WriteAsync(db.Client, source, seed: 26, operations: 200, existing: 3_000, tag: "s3", output.WriteLine);
            sections = await scans;
        });

        foreach (var section in sections)
        {
            Assert.True(section.ExitCode == 0, section.ToString());
            Assert.StartsWith(prefix + "/ck-", DdbCopyCli.Summary(section).GetProperty("checkpointFile").GetString(), StringComparison.Ordinal);
        }

        AssertFollowerCaughtUp(follower, 3);
        foreach (var name in new[] { "ck-0.json", "ck-1.json", "ck-2.json", "ck-follow.json" })
        {
            using var document = JsonDocument.Parse(await ObjectAsync(name) ?? throw new Xunit.Sdk.XunitException($"{name} is not in S3"));
            Assert.Equal("finished", document.RootElement.GetProperty("state").GetString());
        }

        Assert.Null(await ObjectAsync("ck-0.json.write-test"));
        Assert.Empty(Directory.GetFiles(_folder, "ck-*"));
        await AssertEqualAsync(source, destination, deleted);
    }

    [Fact]
    public async Task TheFollowersDryRun_SaysWhatItWouldDo_AndChangesNothing()
    {
        var (source, destination) = await TablesAsync("fsec-plan", items: 100);

        var result = await DdbCopyCli.RunAsync([.. Job(source, destination, "follow").Where(a => a is not ("--output" or "json")), "--dryRun"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("The follower of a copy in 3 sections: reads the source's stream from its oldest record", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Would follow the source's stream", result.StandardOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "ck-follow.json")));
        Assert.Equal(0, await Tables.CountAsync(db.Client, destination));
    }
}
