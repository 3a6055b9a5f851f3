using System.Globalization;
using System.Text;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Sources.Streams;

namespace DdbCopy.Tests.Streams;

public sealed class ChangeSpoolTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-spool-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ChangeRecord Change(int n, string key, bool remove = false) => new(
        n.ToString(CultureInfo.InvariantCulture), remove ? "REMOVE" : "MODIFY", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + n),
        new Dictionary<string, AttributeValue> { ["pk"] = new() { S = key } },
        remove ? null : new Dictionary<string, AttributeValue> { ["pk"] = new() { S = key }, ["v"] = new() { N = n.ToString(CultureInfo.InvariantCulture) }, ["s"] = new() { S = "é\n\"x" } },
        remove ? new Dictionary<string, AttributeValue> { ["pk"] = new() { S = key }, ["u"] = new() { N = "9" } } : null,
        0);

    private static ShardPosition Shard(string id, string? after) => new(id, null, after, false, DateTimeOffset.UnixEpoch);

    private static List<(string Shard, ChangeRecord Record)> ReadAll(ChangeSpool spool, SpoolPosition from)
    {
        using var cursor = new SpoolCursor(spool, from);
        var read = new List<(string, ChangeRecord)>();
        while (cursor.TryRead(out var line))
        {
            read.Add(ChangeSpool.ReadLine(line.Span));
        }

        return read;
    }

    [Fact]
    public async Task Appended_ReadBackInOrder_WithImagesKeysAndTheOldImageOfADelete()
    {
        await using var spool = ChangeSpool.Open(Path.Combine(_folder, "s"), default, [], 0);
        await spool.AppendAsync(Shard("A", "2"), [Change(1, "a"), Change(2, "b")], false, CancellationToken.None);
        await spool.AppendAsync(Shard("B", "3"), [Change(3, "a", remove: true)], false, CancellationToken.None);

        var read = ReadAll(spool, default);

        Assert.Equal(["A", "A", "B"], read.Select(r => r.Shard));
        Assert.Equal(["1", "2", "3"], read.Select(r => r.Record.SequenceNumber));
        Assert.Equal("é\n\"x", read[0].Record.NewImage!["s"].S);
        Assert.True(read[2].Record.IsRemove);
        Assert.Null(read[2].Record.NewImage);
        Assert.Equal("9", read[2].Record.OldImage!["u"].N);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_003), read[2].Record.Created);
        var (shards, written, records) = spool.Snapshot();
        Assert.Equal(3, records);
        Assert.Equal([("A", "2"), ("B", "3")], shards.Select(s => (s.ShardId, s.After!)));
        Assert.Equal(new FileInfo(spool.PathOf(0)).Length, written.Offset);
    }

    [Fact]
    public async Task Segments_RollOver_TheCursorCrossesThem_AndAppliedOnesAreDeleted()
    {
        await using var spool = ChangeSpool.Open(Path.Combine(_folder, "s"), default, [], 0, segmentBytes: 300);
        for (var i = 0; i < 10; i++)
        {
            await spool.AppendAsync(Shard("A", i.ToString(CultureInfo.InvariantCulture)), [Change(i, "k" + i)], false, CancellationToken.None);
        }

        Assert.True(spool.Written.Segment >= 3, spool.Written.ToString());
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)), ReadAll(spool, default).Select(r => r.Record.SequenceNumber));

        spool.DeleteBefore(2);
        Assert.False(File.Exists(spool.PathOf(0)));
        Assert.False(File.Exists(spool.PathOf(1)));
        Assert.True(File.Exists(spool.PathOf(2)));
    }

    [Fact]
    public async Task Cursor_SeesOnlyWhatIsWritten_AndWaitsForMore()
    {
        await using var spool = ChangeSpool.Open(Path.Combine(_folder, "s"), default, [], 0);
        using var cursor = new SpoolCursor(spool, default);
        Assert.False(cursor.TryRead(out _));
        var more = spool.WaitBeyondAsync(cursor.Position, CancellationToken.None);
        Assert.False(more.IsCompleted);

        await spool.AppendAsync(Shard("A", "1"), [Change(1, "a")], false, CancellationToken.None);

        await more.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(cursor.TryRead(out var line));
        Assert.Equal("1", ChangeSpool.ReadLine(line.Span).Record.SequenceNumber);
        Assert.False(cursor.TryRead(out _));
        Assert.True(spool.WaitBeyondAsync(default, CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task Reopened_AtTheCheckpointsLength_CutsOffWhatAKilledRunWroteAfterIt()
    {
        var directory = Path.Combine(_folder, "s");
        SpoolPosition saved;
        await using (var first = ChangeSpool.Open(directory, default, [], 0, segmentBytes: 300))
        {
            await first.AppendAsync(Shard("A", "1"), [Change(1, "a")], false, CancellationToken.None);
            saved = first.Written;
            for (var i = 2; i < 8; i++)
            {
                await first.AppendAsync(Shard("A", i.ToString(CultureInfo.InvariantCulture)), [Change(i, "a")], false, CancellationToken.None);
            }
        }

        await using var again = ChangeSpool.Open(directory, saved, [Shard("A", "1")], 1, segmentBytes: 300);
        await again.AppendAsync(Shard("A", "2"), [Change(2, "a")], false, CancellationToken.None);

        Assert.Equal(["1", "2"], ReadAll(again, default).Select(r => r.Record.SequenceNumber));
        Assert.Equal(2, again.Records);
        Assert.Single(Directory.GetFiles(directory));
    }

    [Fact]
    public async Task Reopened_ShorterThanItsCheckpoint_IsRefused()
    {
        var directory = Path.Combine(_folder, "s");
        await using (var first = ChangeSpool.Open(directory, default, [], 0))
        {
            await first.AppendAsync(Shard("A", "1"), [Change(1, "a")], false, CancellationToken.None);
        }

        var refused = Assert.Throws<DdbCopyException>(() => ChangeSpool.Open(directory, new SpoolPosition(0, 10_000), [], 1));
        Assert.Contains("shorter", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Directory_IsOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var spool = ChangeSpool.Open(Path.Combine(_folder, "s"), default, [], 0);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(spool.Directory));
        Assert.Contains("changes-000000.jsonl", Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(spool.PathOf(0))), StringComparison.Ordinal);
    }
}
