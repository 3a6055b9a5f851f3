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
public sealed class FollowedSectionsTests(DynamoDbFixture db, ITestOutputHelper output) : IAsyncLifetime
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
    private string[] Job(string source, string destination, string section, params string[] extra) =>
    [
        "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
        "--totalSections", "3", "--section", section, "--follow", "--stopWhenCaughtUp", "--writeCapacityUnits", "1200",
        "--checkpointFile", Path.Combine(_folder, "ck-{section}.json"), "--deadLetterFile", Path.Combine(_folder, "dl-{section}.jsonl"),
        "--output", "json", .. extra,
    ];

    private async Task<(string Source, string Destination)> TablesAsync(string prefix)
    {
        var source = await _tables.CreateAsync(prefix + "-src", readUnits: 10_000, writeUnits: 10_000);
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(Items));
        await db.Client.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = source,
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_AND_OLD_IMAGES },
        });
        return (source, await _tables.CreateAsync(prefix + "-dst", writeUnits: 10_000));
    }

    private JsonElement? Checkpoint(string section)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, $"ck-{section}.json")));
            return document.RootElement.Clone();
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), $"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }

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

        // The follower starts first and waits; the sections scan (about 17 s at 400 WCU each) while the writer changes the source.
        var follower = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(5), Job(source, destination, "follow"), async _ =>
        {
            var scans = Task.WhenAll(Enumerable.Range(0, 3).Select(i => DdbCopyCli.RunAsync(TimeSpan.FromMinutes(4), Job(source, destination, $"{i}"))));
            await WaitForAsync(() => Enumerable.Range(0, 3).All(i => Checkpoint($"{i}") is { } c && c.TryGetProperty("sectionStream", out JsonElement _)),
                "every section to record the stream");
            var writing = Stopwatch.StartNew();
            deleted = await SourceChanges.WriteAsync(db.Client, source, seed: 24, operations: 1_000, existing: Items, tag: "sections", output.WriteLine);
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
}
