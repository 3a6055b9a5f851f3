using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;
using DdbCopy.TestSupport.Faults;
using Xunit.Abstractions;

namespace DdbCopy.IntegrationTests.Copying;

/// <summary>
/// --follow through the real CLI against DynamoDB Local (which keeps streams on its normal port): writes during the
/// copy end up in the destination exactly, a follower stopped with Ctrl+C resumes where it stopped, two followers in
/// opposite directions converge to the newest version and go quiet, and what cannot be followed is refused.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class FollowTests(DynamoDbFixture db, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-follow-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private string CheckpointOf(string name) => Path.Combine(_folder, name + ".checkpoint.json");

    private string[] Follow(string source, string destination, string name, params string[] extra) =>
    [
        "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
        "--checkpointFile", CheckpointOf(name), "--deadLetterFile", Path.Combine(_folder, name + ".dl.jsonl"), "--follow", "--output", "json",
        "--progressIntervalSeconds", "1", .. extra,
    ];

    /// <summary>A table filled with <paramref name="items"/> items, then given a stream (so the fill is not in it).</summary>
    private async Task<string> SourceWithStreamAsync(string prefix, int items, string view = "NEW_AND_OLD_IMAGES")
    {
        var table = await _tables.CreateAsync(prefix, readUnits: 10_000, writeUnits: 10_000);
        await Tables.PutAllAsync(db.Client, table, ItemFactory.Many(items));
        if (view != "none")
        {
            await EnableStreamAsync(table, view);
        }

        return table;
    }

    private async Task EnableStreamAsync(string table, string view)
    {
        await db.Client.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = table,
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = new StreamViewType(view) },
        });
        Assert.NotNull((await db.Client.DescribeTableAsync(table)).Table.LatestStreamArn);
    }

    /// <summary>The checkpoint's follow section (null while there is none or it is being replaced).</summary>
    private static JsonElement? FollowState(string checkpoint) =>
        Poll.ReadJson(checkpoint) is { } root && root.TryGetProperty("follow", out var follow) ? follow : null;

    /// <summary>True once the checkpoint says every lane of the bulk copy is done and the follower applies changes.</summary>
    internal static bool Applying(string checkpoint) =>
        Poll.ReadJson(checkpoint) is { } root && root.TryGetProperty("follow", out _)
        && root.GetProperty("lanes").EnumerateArray().All(l => l.GetProperty("done").GetBoolean());

    private static Task WaitForAsync(Func<bool> condition, string what, TimeSpan? limit = null) => Poll.UntilAsync(condition, what, limit);

    private static Task WaitForAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null) => Poll.UntilAsync(condition, what, limit);

    private static void Interrupt(Process process)
    {
        using var kill = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Puts, updates and deletes on the table; returns the keys it deleted (and did not put again).</summary>
    private Task<HashSet<string>> WriteChangesAsync(string table, int seed, int operations, int existing, string tag) =>
        SourceChanges.WriteAsync(db.Client, table, seed, operations, existing, tag, output.WriteLine);

    private async Task<bool> SameItemsAsync(string one, string other) =>
        (await Tables.ScanAllAsync(db.Client, one)).Select(ItemFactory.Canonical).Order()
            .SequenceEqual((await Tables.ScanAllAsync(db.Client, other)).Select(ItemFactory.Canonical).Order());

    private async Task AssertSameItemsAsync(string source, string destination)
    {
        var expected = (await Tables.ScanAllAsync(db.Client, source)).Select(ItemFactory.Canonical).Order().ToList();
        var actual = (await Tables.ScanAllAsync(db.Client, destination)).Select(ItemFactory.Canonical).Order().ToList();
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task WritesDuringTheCopy_FollowUntilCaughtUp_EndsEqualToTheSource_ItemsDeletedDuringTheScanStayDeleted()
    {
        const int items = DynamoDbFixture.SharedItemCount;
        var source = await SourceWithStreamAsync("follow-src", items);
        var destination = await _tables.CreateAsync("follow-dst", writeUnits: 10_000);
        var checkpoint = CheckpointOf("during");
        HashSet<string> deleted = [];
        var writerDone = TimeSpan.Zero;
        var run = Stopwatch.StartNew();

        // 2,000 WCU/s: the scan takes about 10 s; the writer starts once the stream positions are taken and ends well before.
        var result = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(4), Follow(source, destination, "during", "--writeCapacityUnits", "2000", "--stopWhenCaughtUp"),
            async process =>
            {
                await WaitForAsync(() => FollowState(checkpoint) is not null, "the follower to take its positions");
                deleted = await WriteChangesAsync(source, seed: 11, operations: 1_500, existing: items, tag: "during");
                writerDone = run.Elapsed;
            });

        output.WriteLine($"writer done at {writerDone.TotalSeconds:0.0} s, copy ended at {run.Elapsed.TotalSeconds:0.0} s");
        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = DdbCopyCli.Summary(result);
        Assert.True(summary.GetProperty("complete").GetBoolean());
        Assert.True(summary.GetProperty("caughtUp").GetBoolean());
        Assert.Equal(0, summary.GetProperty("lagSeconds").GetDouble());
        var applied = summary.GetProperty("applied").GetInt64();
        Assert.InRange(applied, 1, 1_500);
        Assert.Equal(summary.GetProperty("streamRecords").GetInt64(), applied);
        Assert.Contains("Scan done: applying the changes recorded since the copy began", result.StandardError, StringComparison.Ordinal);
        Assert.NotEmpty(deleted);
        var left = (await Tables.ScanAllAsync(db.Client, destination)).Select(i => i["pk"].S).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(deleted, left.Contains);
        await AssertSameItemsAsync(source, destination);
        Assert.False(Directory.Exists(Path.ChangeExtension(checkpoint, ".spool")), "a finished follower deletes its spool");
    }

    [Theory]
    [InlineData("disabled")]
    [InlineData("trimmed")]
    public async Task AStreamDisabledOrTrimmedWhileFollowing_StopsTheFollowerWithExit4AndSaysWhy(string ending)
    {
        var source = await SourceWithStreamAsync("follow-end-src", 500);
        var destination = await _tables.CreateAsync("follow-end-dst", writeUnits: 10_000);
        await using var proxy = await FaultProxy.StartAsync(db.Endpoint);
        var checkpoint = CheckpointOf("end-" + ending);
        string[] args = [.. Follow(source, destination, "end-" + ending)];
        args[Array.IndexOf(args, "--sourceEndpoint") + 1] = proxy.Url;

        var result = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(3), args, async process =>
        {
            await WaitForAsync(() => Applying(checkpoint), "the bulk copy to end");
            await WriteChangesAsync(source, seed: 51, operations: 20, existing: 500, tag: ending);
            await WaitForAsync(() => FollowState(checkpoint) is { } f && f.GetProperty("applied").GetInt64() > 0, "changes to be applied");
            if (ending == "disabled")
            {
                await db.Client.UpdateTableAsync(new UpdateTableRequest
                {
                    TableName = source, StreamSpecification = new StreamSpecification { StreamEnabled = false },
                });
            }
            else
            {
                proxy.Options.FailGetRecordsWith = "TrimmedDataAccessException";
            }
        });

        output.WriteLine(proxy.ToString());
        Assert.True(result.ExitCode == 4, result.ToString());
        var error = DdbCopyCli.Summary(result).GetProperty("error").GetString()!;
        Assert.Contains(ending == "disabled" ? "was disabled" : "no longer holds the records", error, StringComparison.Ordinal);
        Assert.Contains(ending == "disabled" ? "cannot be kept up to date" : "Start a new copy", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal); // a message, never a stack trace
    }

    [Fact]
    public async Task EndpointsFromTheEnvironment_AreUsedForTheStreamToo_AndAStreamEndpointThatDoesNotAnswer_IsOneLineExit3()
    {
        var source = await SourceWithStreamAsync("follow-env-src", 100);
        var destination = await _tables.CreateAsync("follow-env-dst");
        string[] args = ["--sourceTable", source, "--destinationTable", destination, "--follow", "--stopWhenCaughtUp", "--output", "json",
            "--checkpointFile", CheckpointOf("env"), "--requestTimeoutSeconds", "2"];

        var followed = await DdbCopyCli.RunAsync(new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL_DYNAMODB"] = db.Endpoint, ["AWS_ENDPOINT_URL_DYNAMODB_STREAMS"] = db.Endpoint,
        }, TimeSpan.FromMinutes(2), args);
        File.Delete(CheckpointOf("env"));
        var unreachable = await DdbCopyCli.RunAsync(new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL_DYNAMODB"] = db.Endpoint, ["AWS_ENDPOINT_URL_DYNAMODB_STREAMS"] = "http://127.0.0.1:9",
        }, TimeSpan.FromMinutes(2), args);

        Assert.True(followed.ExitCode == 0, followed.ToString());
        Assert.Equal(100, await Tables.CountAsync(db.Client, destination));
        Assert.True(unreachable.ExitCode == 3, unreachable.ToString());
        Assert.DoesNotContain("internal error", unreachable.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", unreachable.StandardError, StringComparison.Ordinal);
        Assert.Contains("does not answer", DdbCopyCli.Summary(unreachable).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FaultsOnEveryStreamAndWriteCall_ThrottlingErrorsAndLostAnswers_TheFollowerStillEndsEqual()
    {
        var source = await SourceWithStreamAsync("follow-faults-src", 3_000);
        var destination = await _tables.CreateAsync("follow-faults-dst", writeUnits: 10_000);
        await using var proxy = await FaultProxy.StartAsync(db.Endpoint);
        output.WriteLine($"fault proxy {proxy}");
        proxy.Options.ThrottleScans = 0.1;
        proxy.Options.ThrottleWrites = 0.2;
        proxy.Options.ControlPlaneThrottles = 0.15; // every other call: DescribeTable, DescribeStream, GetShardIterator, GetRecords, PutItem, DeleteItem
        proxy.Options.ControlPlaneErrors = 0.1;
        proxy.Options.LostAnswers = 0.05; // applied, but the answer is lost: GetRecords read again, a change written again
        // A short follow makes a dozen GetRecords calls: the first of each is throttled, so faults reach them whatever the seed.
        proxy.Options.ThrottleFirstCallTo.UnionWith(["GetRecords", "PutItem", "DeleteItem"]);
        var checkpoint = CheckpointOf("faults");
        string[] args = [.. Follow(source, destination, "faults", "--writeCapacityUnits", "1000", "--stopWhenCaughtUp")];
        args[Array.IndexOf(args, "--sourceEndpoint") + 1] = proxy.Url;
        args[Array.IndexOf(args, "--destinationEndpoint") + 1] = proxy.Url;

        var result = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(4), args, async process =>
        {
            await WaitForAsync(() => FollowState(checkpoint) is not null, "the follower to take its positions");
            await WriteChangesAsync(source, seed: 41, operations: 600, existing: 3_000, tag: "faults");
        });

        output.WriteLine(proxy.ToString());
        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = DdbCopyCli.Summary(result);
        Assert.True(summary.GetProperty("caughtUp").GetBoolean());
        Assert.True(summary.GetProperty("applied").GetInt64() > 0);
        Assert.True(proxy.Stats["throttled:GetRecords"] + proxy.Stats["500:GetRecords"] > 0, proxy.ToString());
        Assert.True(proxy.Stats["throttled:PutItem"] + proxy.Stats["500:PutItem"] + proxy.Stats["throttled:DeleteItem"] + proxy.Stats["500:DeleteItem"] > 0, proxy.ToString());
        await AssertSameItemsAsync(source, destination);
    }

    [Fact]
    public async Task FollowForAWhile_CtrlC_WriteMore_Resume_EqualAgain()
    {
        var source = await SourceWithStreamAsync("follow-resume-src", 2_000);
        var destination = await _tables.CreateAsync("follow-resume-dst", writeUnits: 10_000);
        var checkpoint = CheckpointOf("resume");

        var first = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(3), Follow(source, destination, "resume"), async process =>
        {
            await WaitForAsync(() => Applying(checkpoint), "the bulk copy to end");
            await WriteChangesAsync(source, seed: 21, operations: 300, existing: 2_000, tag: "one");
            await WaitForAsync(() => FollowState(checkpoint) is { } f && f.GetProperty("applied").GetInt64() > 0, "changes to be applied");
            Interrupt(process);
        });
        await WriteChangesAsync(source, seed: 22, operations: 300, existing: 2_000, tag: "two"); // while nothing follows
        var stopped = JsonDocument.Parse(File.ReadAllText(checkpoint)).RootElement;
        var resumed = await DdbCopyCli.RunAsync(Follow(source, destination, "resume", "--resume", "--stopWhenCaughtUp"));

        Assert.True(first.ExitCode == 0, first.ToString()); // Ctrl+C is how a follower is stopped
        Assert.Equal("stopped", stopped.GetProperty("state").GetString());
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var summary = DdbCopyCli.Summary(resumed);
        Assert.True(summary.GetProperty("caughtUp").GetBoolean());
        Assert.Equal(2_000, summary.GetProperty("written").GetInt64()); // the bulk copy was not done again
        Assert.True(summary.GetProperty("streamRecords").GetInt64() > stopped.GetProperty("follow").GetProperty("streamRecords").GetInt64());
        Assert.Contains("Following", resumed.StandardError, StringComparison.Ordinal);
        await AssertSameItemsAsync(source, destination);
    }

    [Fact]
    public async Task TwoWay_WritersOnBothSides_ConvergeToTheNewestVersion_AndBothFollowersGoQuiet()
    {
        var a = await _tables.CreateAsync("twoway-a", writeUnits: 10_000);
        var b = await _tables.CreateAsync("twoway-b", writeUnits: 10_000);
        var seed = Enumerable.Range(0, 200).Select(i => new Dictionary<string, AttributeValue>
        {
            ["pk"] = new() { S = $"k{i}" },
            ["updatedAt"] = new() { N = "0" },
            ["by"] = new() { S = "seed" },
        }).ToList();
        await Tables.PutAllAsync(db.Client, a, seed);
        await Tables.PutAllAsync(db.Client, b, seed);
        await EnableStreamAsync(a, "NEW_AND_OLD_IMAGES");
        await EnableStreamAsync(b, "NEW_AND_OLD_IMAGES");
        string[] twoWay = ["--followOnly", "--conflictAttribute", "updatedAt"];
        Process? ab = null, ba = null;
        var done = new TaskCompletionSource();

        var abRun = DdbCopyCli.RunAsync(TimeSpan.FromMinutes(4), Follow(a, b, "ab", twoWay), async p => { ab = p; await done.Task; });
        var baRun = DdbCopyCli.RunAsync(TimeSpan.FromMinutes(4), Follow(b, a, "ba", twoWay), async p => { ba = p; await done.Task; });
        await WaitForAsync(() => Applying(CheckpointOf("ab")) && Applying(CheckpointOf("ba")), "both followers to start");

        // Both sides write the same 40 keys (and some of their own) with a version from one counter: the newest is the highest.
        long version = 0;
        var newest = new Dictionary<string, (long Version, string By)>(StringComparer.Ordinal);
        var random = new Random(31);
        output.WriteLine("two-way writers: seed 31");
        var plans = new[] { (Table: a, By: "A"), (Table: b, By: "B") }
            .Select(side => (side.Table, side.By, Keys: Enumerable.Range(0, 300).Select(_ => random.Next(3) == 0 ? $"{side.By}-own-{random.Next(50)}" : $"k{random.Next(40)}").ToList()))
            .ToList();
        await Task.WhenAll(plans.Select(plan => Task.Run(async () =>
        {
            foreach (var key in plan.Keys)
            {
                long mine;
                lock (newest)
                {
                    mine = ++version;
                    newest[key] = (mine, plan.By);
                }

                await db.Client.PutItemAsync(plan.Table, new Dictionary<string, AttributeValue>
                {
                    ["pk"] = new() { S = key },
                    ["updatedAt"] = new() { N = mine.ToString(CultureInfo.InvariantCulture) },
                    ["by"] = new() { S = plan.By },
                });
            }
        })));

        // Quiet: both tables equal and neither follower applied anything for 3 s.
        long Handled(string name) => FollowState(CheckpointOf(name)) is { } f ? f.GetProperty("applied").GetInt64() + f.GetProperty("skipped").GetInt64() : -1;
        var quietSince = Stopwatch.StartNew();
        var last = (-1L, -1L);
        long appliedAtQuiet = -1;
        try
        {
            await WaitForAsync(async () =>
            {
                var now = (Handled("ab"), Handled("ba"));
                if (now != last)
                {
                    last = now;
                    quietSince.Restart();
                }

                return quietSince.Elapsed > TimeSpan.FromSeconds(3) && await SameItemsAsync(a, b);
            }, "the two tables to converge and the followers to go quiet", TimeSpan.FromMinutes(1));
            appliedAtQuiet = FollowState(CheckpointOf("ab"))!.Value.GetProperty("applied").GetInt64()
                + FollowState(CheckpointOf("ba"))!.Value.GetProperty("applied").GetInt64();
        }
        finally
        {
            Interrupt(ab!);
            Interrupt(ba!);
            done.SetResult();
            var ended = await Task.WhenAll(abRun, baRun);
            output.WriteLine($"a->b:\n{ended[0]}\nb->a:\n{ended[1]}");
        }

        var (abResult, baResult) = (await abRun, await baRun);
        Assert.True(abResult.ExitCode == 0, abResult.ToString());
        Assert.True(baResult.ExitCode == 0, baResult.ToString());
        var applied = DdbCopyCli.Summary(abResult).GetProperty("applied").GetInt64() + DdbCopyCli.Summary(baResult).GetProperty("applied").GetInt64();
        output.WriteLine($"applied {applied} in all; skipped (echoes and older) {DdbCopyCli.Summary(abResult).GetProperty("skippedOlder")} + {DdbCopyCli.Summary(baResult).GetProperty("skippedOlder")}");
        Assert.Equal(appliedAtQuiet, applied); // no echo loop: nothing more was applied after the writers stopped
        Assert.InRange(applied, 1, 600); // each write is applied on the other side at most once
        await AssertSameItemsAsync(a, b);
        var items = (await Tables.ScanAllAsync(db.Client, a)).ToDictionary(i => i["pk"].S, StringComparer.Ordinal);
        foreach (var (key, (v, by)) in newest)
        {
            Assert.Equal((v.ToString(CultureInfo.InvariantCulture), by), (items[key]["updatedAt"].N, items[key]["by"].S));
        }
    }

    [Fact]
    public async Task SourceWithoutAStream_IsRefusedWithTheCommandThatEnablesIt_OrEnabledWhenAsked()
    {
        var source = await SourceWithStreamAsync("follow-nostream", 100, view: "none");
        var destination = await _tables.CreateAsync("follow-nostream-dst");

        var refused = await DdbCopyCli.RunAsync(Follow(source, destination, "refused"));
        var untouched = await Tables.CountAsync(db.Client, destination);
        var enabled = await DdbCopyCli.RunAsync(Follow(source, destination, "enabled", "--enableSourceStream", "--stopWhenCaughtUp"));

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains($"aws dynamodb update-table --table-name {source} --stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES",
            refused.StandardOutput + refused.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, untouched);
        Assert.True(enabled.ExitCode == 0, enabled.ToString());
        Assert.Equal("NEW_AND_OLD_IMAGES", (await db.Client.DescribeTableAsync(source)).Table.StreamSpecification.StreamViewType.Value);
        await AssertSameItemsAsync(source, destination);
    }

    [Fact]
    public async Task KeysOnlyStream_IsRefused()
    {
        var source = await SourceWithStreamAsync("follow-keysonly", 10, view: "KEYS_ONLY");
        var destination = await _tables.CreateAsync("follow-keysonly-dst");

        var refused = await DdbCopyCli.RunAsync(Follow(source, destination, "keysonly"));

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("keeps KEYS_ONLY", refused.StandardOutput + refused.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_FromPositionsOlderThanTheStreamKeepsRecords_IsRefusedWithAClearMessage()
    {
        var source = await SourceWithStreamAsync("follow-old-src", 100);
        var destination = await _tables.CreateAsync("follow-old-dst");
        var checkpoint = CheckpointOf("old");
        var first = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(3), Follow(source, destination, "old"), async process =>
        {
            await WaitForAsync(() => Applying(checkpoint), "the bulk copy to end");
            Interrupt(process);
        });
        Assert.True(first.ExitCode == 0, first.ToString());

        // The same checkpoint, a day and an hour later: nothing was read from the shard, and what it held since may be trimmed.
        var saved = JsonNode.Parse(File.ReadAllText(checkpoint))!;
        var dayAgo = DateTimeOffset.UtcNow - TimeSpan.FromHours(25);
        saved["follow"]!["started"] = dayAgo;
        foreach (var shard in saved["follow"]!["shards"]!.AsArray())
        {
            shard!["since"] = dayAgo;
            shard["caughtUpAt"] = dayAgo;
        }

        File.WriteAllText(checkpoint, saved.ToJsonString());
        var resumed = await DdbCopyCli.RunAsync(Follow(source, destination, "old", "--resume"));

        Assert.Equal(3, resumed.ExitCode);
        Assert.Contains("keeps records for 24 hours", resumed.StandardOutput + resumed.StandardError, StringComparison.Ordinal);
        Assert.Contains("Start a new copy (without --resume)", resumed.StandardOutput + resumed.StandardError, StringComparison.Ordinal);
    }
}
