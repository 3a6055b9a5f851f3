using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Copying;

[Collection(DynamoDbCollection.Name)]
public sealed class CopyDataTests(DynamoDbFixture db) : IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);

    [Fact]
    public async Task Copy_EveryAttributeType_RoundTripsExactly()
    {
        var source = await _tables.CreateAsync("types-src");
        var destination = await _tables.CreateAsync("types-dst");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.EveryType());

        var result = await DdbCopyCli.RunAsync("--sourceEndpoint", db.Endpoint, "--sourceTable", source,
            "--destinationEndpoint", db.Endpoint, "--destinationTable", destination, "--output", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var expected = (await Tables.ScanAllAsync(db.Client, source)).Select(ItemFactory.Canonical).Order().ToList();
        var actual = (await Tables.ScanAllAsync(db.Client, destination)).Select(ItemFactory.Canonical).Order().ToList();
        Assert.Equal(ItemFactory.EveryType().Count, expected.Count);
        Assert.Equal(expected, actual);
        Assert.Equal(expected.Count, DdbCopyCli.Summary(result).GetProperty("written").GetInt32());
    }

    [Fact]
    public async Task Copy_TwentyThousandItems_CopiesEveryItemAndExitsRightAfterTheLastWrite()
    {
        var source = await db.SharedSourceAsync();
        var destination = await _tables.CreateAsync("big-dst", readUnits: 10_000, writeUnits: 10_000);

        // The classic tool's exact command shape, camelCase flags.
        var result = await DdbCopyCli.RunAsync("--sourceEndpoint", db.Endpoint, "--sourceTable", source,
            "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            "--readThroughputRatio", "0.5", "--writeThroughputRatio", "0.5", "--output", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = DdbCopyCli.Summary(result);
        Assert.Equal(DynamoDbFixture.SharedItemCount, summary.GetProperty("scanned").GetInt32());
        Assert.Equal(DynamoDbFixture.SharedItemCount, summary.GetProperty("written").GetInt32());
        Assert.Equal(0, summary.GetProperty("failed").GetInt32());
        Assert.True(summary.GetProperty("consumedWriteCapacity").GetDouble() >= DynamoDbFixture.SharedItemCount);
        Assert.Equal(DynamoDbFixture.SharedItemCount, await Tables.CountAsync(db.Client, destination));

        // The summary is printed when the last write is confirmed; the process must be gone within 2 s of that.
        Assert.NotNull(result.FirstOutputAt);
        Assert.True(result.Elapsed - result.FirstOutputAt!.Value < TimeSpan.FromSeconds(2),
            $"exited {(result.Elapsed - result.FirstOutputAt.Value).TotalSeconds:0.00} s after the summary");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _tables.DisposeAsync();
}
