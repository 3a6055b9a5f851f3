using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Sinks.Changes;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Copying;

/// <summary>
/// Two-way replication's rule (--conflictAttribute), change by change against DynamoDB Local's own conditional writes:
/// the newest write wins, a delete loses to a newer write and wins over an older one (and over its own version), an
/// echo is not applied again, two different writes with one version settle alike on both sides, ISO-8601 strings order
/// by time, and a change without the attribute applies only where the destination has none.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class ConflictRuleTests(DynamoDbFixture db) : IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);

    private static Dictionary<string, AttributeValue> Item(string pk, AttributeValue? version, string payload)
    {
        var item = new Dictionary<string, AttributeValue> { ["pk"] = new() { S = pk }, ["payload"] = new() { S = payload } };
        if (version is not null)
        {
            item["updatedAt"] = version;
        }

        return item;
    }

    private static AttributeValue N(long n) => new() { N = n.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private static ChangeRecord Put(Dictionary<string, AttributeValue> image) =>
        new("1", "MODIFY", DateTimeOffset.UnixEpoch, new() { ["pk"] = image["pk"] }, image, null, 100);

    private static ChangeRecord Delete(Dictionary<string, AttributeValue> old) =>
        new("1", "REMOVE", DateTimeOffset.UnixEpoch, new() { ["pk"] = old["pk"] }, null, old, 100);

    private async Task<Dictionary<string, AttributeValue>?> HeldAsync(string table, string pk)
    {
        var got = await db.Client.GetItemAsync(new GetItemRequest { TableName = table, Key = new() { ["pk"] = new() { S = pk } }, ConsistentRead = true });
        return got.IsItemSet ? got.Item : null;
    }

    [Fact]
    public async Task TheNewestWriteWins_AndAnEchoIsNotAppliedAgain()
    {
        var table = await _tables.CreateAsync("conflict-put");
        var target = new DynamoDbChangeTarget(db.Client, table, "updatedAt");
        await db.Client.PutItemAsync(table, Item("k", N(5), "five"));

        var older = await target.ApplyAsync(Put(Item("k", N(4), "four")), default);
        var echo = await target.ApplyAsync(Put(Item("k", N(5), "five")), default);
        var newer = await target.ApplyAsync(Put(Item("k", N(6), "six")), default);

        Assert.Equal((false, false, true), (older.Applied, echo.Applied, newer.Applied));
        Assert.Equal("six", (await HeldAsync(table, "k"))!["payload"].S);
    }

    [Fact]
    public async Task ADelete_LosesToANewerWrite_WinsOverAnOlderOne_AndOverItsOwnVersion()
    {
        var table = await _tables.CreateAsync("conflict-delete");
        var target = new DynamoDbChangeTarget(db.Client, table, "updatedAt");
        await db.Client.PutItemAsync(table, Item("newer", N(10), "written after the delete's version"));
        await db.Client.PutItemAsync(table, Item("older", N(3), "older than the delete's version"));
        await db.Client.PutItemAsync(table, Item("same", N(7), "the version the delete removed"));

        var lost = await target.ApplyAsync(Delete(Item("newer", N(5), "x")), default);
        var won = await target.ApplyAsync(Delete(Item("older", N(5), "x")), default);
        var own = await target.ApplyAsync(Delete(Item("same", N(7), "x")), default);

        Assert.Equal((false, true, true), (lost.Applied, won.Applied, own.Applied));
        Assert.NotNull(await HeldAsync(table, "newer"));
        Assert.Null(await HeldAsync(table, "older"));
        Assert.Null(await HeldAsync(table, "same"));
    }

    [Fact]
    public async Task TwoDifferentWritesWithOneVersion_SettleToTheSameOneOnBothSides()
    {
        var east = await _tables.CreateAsync("conflict-tie-east");
        var west = await _tables.CreateAsync("conflict-tie-west");
        for (var i = 0; i < 20; i++)
        {
            // Written at the same time on both sides: one version, two contents.
            var a = Item($"k{i}", N(100), $"east-{i}");
            var b = Item($"k{i}", N(100), $"west-{i}");
            await db.Client.PutItemAsync(east, a);
            await db.Client.PutItemAsync(west, b);

            // Each follower applies the other side's write; then each echo comes back.
            await new DynamoDbChangeTarget(db.Client, east, "updatedAt").ApplyAsync(Put(b), default);
            await new DynamoDbChangeTarget(db.Client, west, "updatedAt").ApplyAsync(Put(a), default);
            var eastHolds = (await HeldAsync(east, $"k{i}"))!;
            var westHolds = (await HeldAsync(west, $"k{i}"))!;
            var echoToWest = await new DynamoDbChangeTarget(db.Client, west, "updatedAt").ApplyAsync(Put(eastHolds), default);
            var echoToEast = await new DynamoDbChangeTarget(db.Client, east, "updatedAt").ApplyAsync(Put(westHolds), default);

            Assert.Equal(ItemFactory.Canonical(eastHolds), ItemFactory.Canonical(westHolds));
            Assert.False(echoToWest.Applied || echoToEast.Applied);
        }
    }

    [Fact]
    public async Task IsoTimestamps_OrderByTime()
    {
        var table = await _tables.CreateAsync("conflict-iso");
        var target = new DynamoDbChangeTarget(db.Client, table, "updatedAt");
        await db.Client.PutItemAsync(table, Item("k", new AttributeValue { S = "2024-05-01T10:00:00.000Z" }, "ten"));

        var earlier = await target.ApplyAsync(Put(Item("k", new AttributeValue { S = "2024-05-01T09:59:59.999Z" }, "a moment before")), default);
        var later = await target.ApplyAsync(Put(Item("k", new AttributeValue { S = "2024-05-01T10:00:00.001Z" }, "a moment after")), default);

        Assert.Equal((false, true), (earlier.Applied, later.Applied));
        Assert.Equal("a moment after", (await HeldAsync(table, "k"))!["payload"].S);
    }

    [Fact]
    public async Task AChangeWithoutTheAttribute_AppliesOnlyWhereTheDestinationHasNone()
    {
        var table = await _tables.CreateAsync("conflict-none");
        var target = new DynamoDbChangeTarget(db.Client, table, "updatedAt");
        await db.Client.PutItemAsync(table, Item("versioned", N(5), "has a version"));
        await db.Client.PutItemAsync(table, Item("unversioned", null, "has none"));

        var overVersioned = await target.ApplyAsync(Put(Item("versioned", null, "no version")), default);
        var overUnversioned = await target.ApplyAsync(Put(Item("unversioned", null, "no version either")), default);
        var overNothing = await target.ApplyAsync(Put(Item("new", null, "first")), default);

        Assert.Equal((false, true, true), (overVersioned.Applied, overUnversioned.Applied, overNothing.Applied));
        Assert.Equal("has a version", (await HeldAsync(table, "versioned"))!["payload"].S);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _tables.DisposeAsync().AsTask();
}
