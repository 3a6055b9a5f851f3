using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Engine.Checkpoints;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Sources.MySql;
using DdbCopy.Core.Sources.Streams;

namespace DdbCopy.Tests.Checkpoints;

/// <summary>The checkpoint format (version 1) against golden files, and what is refused.</summary>
public sealed class CheckpointFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string GoldenPath(string name, [CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Golden", name);

    private static string Golden(string name) => File.Exists(GoldenPath(name)) ? File.ReadAllText(GoldenPath(name)) : "";

    /// <summary>The checkpoint the golden file version 1 holds.</summary>
    private static Checkpoint Known() => new()
    {
        Job = new JobIdentity("copy", "arn:aws:dynamodb:us-east-1:000000000000:table/Orders|id-1|2026-11-01T00:00:00.0000000Z",
            "arn:aws:dynamodb:eu-west-1:000000000000:table/OrdersCopy|id-2|2026-11-02T00:00:00.0000000Z", 4, 0, 2),
        State = CheckpointState.Stopped,
        Started = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero),
        Updated = new DateTimeOffset(2026, 11, 25, 10, 5, 30, TimeSpan.Zero),
        Runs = 2,
        Totals = new CheckpointTotals { Scanned = 12_000, Written = 11_998, DeadLettered = 2, Failed = 2 },
        Lanes =
        [
            CheckpointFile.FromPosition(new LanePosition(0, Done: true)),
            CheckpointFile.FromPosition(new LanePosition(2, LastKey: new Dictionary<string, AttributeValue>
            {
                ["customer"] = new() { S = "c-17 \"quoted\" é" },
                ["order"] = new() { N = "1234567890123456789012345678.5" },
                ["blob"] = new() { B = new MemoryStream([0, 1, 2, 254, 255]) },
            })),
        ],
        DeadLetterFile = "/data/ddbcopy-deadletter-OrdersCopy-20261125T100000Z.jsonl",
    };

    private static Checkpoint KnownImport() => new()
    {
        Job = new JobIdentity("import", "/data/export", "OrdersCopy at http://localhost:8000/"),
        State = CheckpointState.Running,
        Started = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero),
        Updated = new DateTimeOffset(2026, 11, 25, 10, 0, 2, TimeSpan.Zero),
        Totals = new CheckpointTotals { Scanned = 1_000, Written = 1_000, Rejected = 3 },
        Lanes = [CheckpointFile.FromPosition(LanePosition.AfterRecord("data/00-000002.json.gz", 517))],
        Files = [new ManifestFile { DataFileS3Key = "data/00-000001.json.gz", ItemCount = 1_000, Md5Checksum = "abc==", Etag = "e1" }],
        DeadLetterFile = "/data/dl.jsonl",
        RejectFile = "/data/rejects.jsonl",
    };

    /// <summary>A copy with --follow: the stream's part (its shards, the spool, what was applied).</summary>
    private static Checkpoint KnownFollow() => StreamCheckpoint.Follow.With(Known(),
        new FollowCheckpoint
        {
            StreamArn = "arn:aws:dynamodb:us-east-1:000000000000:table/Orders/stream/2026-11-01T00:00:00.000",
            Started = new DateTimeOffset(2026, 11, 25, 9, 59, 58, TimeSpan.Zero),
            SpoolDirectory = "/data/ddbcopy-copy-Orders.spool",
            Shards =
            [
                new ShardPosition("shardId-0001", null, "49000000000000000001", true, new DateTimeOffset(2026, 11, 25, 9, 59, 58, TimeSpan.Zero)),
                new ShardPosition("shardId-0002", "shardId-0001", null, false, new DateTimeOffset(2026, 11, 25, 10, 1, 0, TimeSpan.Zero),
                    new DateTimeOffset(2026, 11, 25, 10, 5, 0, TimeSpan.Zero)),
            ],
            SpoolSegment = 3,
            SpoolOffset = 65_536,
            AppliedSegment = 2,
            AppliedOffset = 1_024,
            StreamRecords = 900,
            Applied = 850,
            Skipped = 40,
            DeadLettered = 1,
        });

    /// <summary>An import from MySQL with --follow: the polling's part (the column, its mark, what the polls came to).</summary>
    private static Checkpoint KnownMySqlFollow() => MySqlCheckpoint.Incremental.With(
        KnownImport() with { Job = new JobIdentity("import", "mysql://app@db:3306/shop table orders", "Orders at http://localhost:8000/", 4, Options: "mysql ranges id") },
        new IncrementalCheckpoint("updated_at", "2026-11-25 10:04:59.123456", true) { Polls = 12, Rows = 340, Applied = 338, DeadLettered = 2 });

    private static Checkpoint Of(string golden) => golden switch
    {
        "copy-v1.json" => Known(),
        "import-v1.json" => KnownImport(),
        "follow-v1.json" => KnownFollow(),
        _ => KnownMySqlFollow(),
    };

    [Theory]
    [InlineData("copy-v1.json")]
    [InlineData("import-v1.json")]
    [InlineData("follow-v1.json")]
    [InlineData("mysql-follow-v1.json")]
    public void Serialize_WritesExactlyTheGoldenFile(string golden)
    {
        var checkpoint = Of(golden);

        var text = CheckpointFile.Serialize(checkpoint);
        if (text != Golden(golden))
        {
            File.WriteAllText(GoldenPath(golden) + ".received", text); // to compare, and to approve when the format changed on purpose
        }

        Assert.Equal(Golden(golden), text);
    }

    [Theory]
    [InlineData("copy-v1.json")]
    [InlineData("import-v1.json")]
    [InlineData("follow-v1.json")]
    [InlineData("mysql-follow-v1.json")]
    public void Parse_OfTheGoldenFile_ReadsItBackUnchanged(string golden)
    {
        var checkpoint = CheckpointFile.Parse(Golden(golden), golden);

        Assert.Equal(Golden(golden), CheckpointFile.Serialize(checkpoint));
    }

    /// <summary>
    /// A follow checkpoint written before the stream's part became the stream kind's own (its times' '+' unescaped)
    /// reads as the same checkpoint: the parts' JSON is written by the checkpoint's writer, which escapes '+' in a
    /// string it did not format itself; the same JSON either way.
    /// </summary>
    [Fact]
    public void Parse_OfAFollowCheckpointWrittenBeforeThePartsMoved_ReadsTheSameCheckpoint()
    {
        var before = CheckpointFile.Parse(Golden("follow-v1-written-before-parts.json"), "follow-v1-written-before-parts.json");

        Assert.Equal(Golden("follow-v1.json"), CheckpointFile.Serialize(before));
        var expected = StreamCheckpoint.Follow.Of(KnownFollow())!;
        var read = StreamCheckpoint.Follow.Of(before)!;
        Assert.Equal(expected with { Shards = [] }, read with { Shards = [] });
        Assert.Equal(expected.Shards, read.Shards);
    }

    [Fact]
    public void Parse_OfTheCopyGoldenFile_GivesThePositionsBack()
    {
        var checkpoint = CheckpointFile.Parse(Golden("copy-v1.json"), "copy-v1.json");

        Assert.Equal(("copy", 4, 0, 2), (checkpoint.Job.Kind, checkpoint.Job.TotalSegments, checkpoint.Job.Section, checkpoint.Job.TotalSections));
        Assert.Equal(CheckpointState.Stopped, checkpoint.State);
        Assert.Equal(12_000, checkpoint.Totals.Scanned);
        var lanes = checkpoint.Lanes.Select(CheckpointFile.ToPosition).ToList();
        Assert.True(lanes[0].Done);
        Assert.Null(lanes[0].LastKey);
        var key = lanes[1].LastKey!;
        Assert.Equal("c-17 \"quoted\" é", key["customer"].S);
        Assert.Equal("1234567890123456789012345678.5", key["order"].N);
        Assert.Equal(new byte[] { 0, 1, 2, 254, 255 }, key["blob"].B.ToArray());
        Assert.False(lanes[1].Done);
    }

    [Fact]
    public void Parse_OfTheImportGoldenFile_GivesTheFileAndLineBack()
    {
        var checkpoint = CheckpointFile.Parse(Golden("import-v1.json"), "import-v1.json");

        var lane = CheckpointFile.ToPosition(Assert.Single(checkpoint.Lanes));
        Assert.Equal(("data/00-000002.json.gz", 517L), (lane.File, lane.Line));
        Assert.Equal("abc==", Assert.Single(checkpoint.Files!).Md5Checksum);
        Assert.Equal(3, checkpoint.Totals.Rejected);
    }

    [Theory]
    [InlineData("""{"format":"ddbcopy-checkpoint","version":2,"job":{}}""", "checkpoint format version 2, and this ddbcopy reads version 1 only")]
    [InlineData("""{"format":"ddbcopy-checkpoint","version":0}""", "checkpoint format version 0")]
    [InlineData("""{"format":"ddbcopy-checkpoint"}""", "it has no format version")]
    [InlineData("""{"Item":{"pk":{"S":"a"}}}""", "it is not a ddbcopy checkpoint")]
    [InlineData("""[1,2]""", "it is not a ddbcopy checkpoint")]
    [InlineData("""{"format":"ddbcopy-checkpoint","version":1,"job":""", "it is not valid JSON")]
    [InlineData("""{"format":"ddbcopy-checkpoint","version":1,"job":{"kind":"copy","source":"a","destination":"b"},"lanes":[{"lane":0,"lastKey":{"pk":{"Q":"a"}}}]}""", "lanes[0].lastKey")]
    public void Parse_OfWhatCannotBeResumedFrom_IsAUsageErrorSayingWhy(string text, string why)
    {
        var error = Assert.Throws<DdbCopyException>(() => CheckpointFile.Parse(text, "cp.json"));

        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains("Cannot resume from cp.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_ReplacesTheFileWholeAndOwnerOnly()
    {
        var path = Path.Combine(_folder, "job.checkpoint.json");
        File.WriteAllText(path, "old");

        CheckpointFile.Save(path, Known());

        Assert.Equal(Golden("copy-v1.json"), File.ReadAllText(path));
        Assert.Equal(["job.checkpoint.json"], Directory.GetFiles(_folder).Select(Path.GetFileName));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Load_WhenThereIsNoFile_IsNull()
    {
        Assert.Null(CheckpointFile.Load(Path.Combine(_folder, "none.json")));
    }

    [Theory]
    [InlineData("copy", "Orders", "Orders Copy", 0, 1, "ddbcopy-copy-Orders-to-Orders_Copy.checkpoint.json")]
    [InlineData("copy", "A", "B", 2, 3, "ddbcopy-copy-A-to-B-section-2-of-3.checkpoint.json")]
    [InlineData("export", "A", "s3://bucket/exports/a/", 0, 1, "ddbcopy-export-A-to-a.checkpoint.json")]
    public void DefaultName_NamesTheJob(string kind, string source, string destination, int section, int sections, string expected)
    {
        Assert.Equal(expected, CheckpointFile.DefaultName(kind, source, CheckpointFile.NameOf(destination), section, sections));
    }

    [Fact]
    public void TheStateFolder_IsXdgStateHome_ElseUnderHome()
    {
        Assert.Equal("/s/ddbcopy", StateFolder.Resolve(v => v switch { "XDG_STATE_HOME" => "/s", "HOME" => "/h", _ => null }));
        Assert.Equal("/h/.local/state/ddbcopy", StateFolder.Resolve(v => v switch { "HOME" => "/h", _ => null }));
        Assert.Equal("/h/.local/state/ddbcopy", StateFolder.Resolve(v => v switch { "XDG_STATE_HOME" => "relative", "HOME" => "/h", _ => null }));
    }

    [Fact]
    public void TheDefaultPath_IsInTheStateFolder_UnlessOnlyTheWorkingDirectoryHasIt()
    {
        var state = Path.Combine(_folder, "state");
        var name = CheckpointFile.DefaultName("copy", "A", "B");
        Assert.Equal(Path.Combine(state, name), CheckpointFile.DefaultPathIn(state, _folder, "copy", "A", "B", 0, 1));

        var work = Directory.CreateDirectory(Path.Combine(_folder, "work")).FullName;
        File.WriteAllText(Path.Combine(work, name), "{}"); // left in the working directory by an older version
        Assert.Equal(Path.Combine(work, name), CheckpointFile.DefaultPathIn(state, work, "copy", "A", "B", 0, 1));
        Directory.CreateDirectory(state);
        File.WriteAllText(Path.Combine(state, name), "{}");
        Assert.Equal(Path.Combine(state, name), CheckpointFile.DefaultPathIn(state, work, "copy", "A", "B", 0, 1));
    }
}
