using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Schema;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;
using DdbCopy.TestSupport.Faults;
using Microsoft.Extensions.Logging.Abstractions;

namespace DdbCopy.IntegrationTests.Schema;

/// <summary>--recreateDestination, --dryRun and --boostWriteCapacity through the real CLI.</summary>
[Collection(DynamoDbCollection.Name)]
public sealed class RecreateAndBoostTests(DynamoDbFixture db) : IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _tables.DisposeAsync();

    [Fact]
    public async Task Copy_WithRecreateDestination_ReplacesAStaleDestination()
    {
        var (source, destination) = await SourceAndStaleDestinationAsync();

        var result = await DdbCopyCli.RunAsync(Args(source, destination, "--recreateDestination", "--yes"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Deleting the destination table {destination}", result.StandardError, StringComparison.Ordinal);
        var items = (await Tables.ScanAllAsync(db.Client, destination)).Select(ItemFactory.Canonical).Order();
        Assert.Equal((await Tables.ScanAllAsync(db.Client, source)).Select(ItemFactory.Canonical).Order(), items);
        var expected = await TableDefinitionReader.ReadAsync(db.Client, source, NullLogger.Instance, default);
        var actual = await TableDefinitionReader.ReadAsync(db.Client, destination, NullLogger.Instance, default);
        Assert.Empty(SchemaDiff.Compare(expected, actual));
    }

    [Fact]
    public async Task Copy_WithRecreateDestinationButNoTerminalAndNoYes_ChangesNothing()
    {
        var (source, destination) = await SourceAndStaleDestinationAsync();

        var result = await DdbCopyCli.RunAsync(Args(source, destination, "--recreateDestination"));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("add --yes to confirm", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(["stale"], (await Tables.ScanAllAsync(db.Client, destination)).Select(i => i["pk"].S));
    }

    [Fact]
    public async Task Copy_WithRecreateDestination_RefusesATableWithDeletionProtection()
    {
        var (source, destination) = await SourceAndStaleDestinationAsync();
        await using var proxy = await FaultProxy.StartAsync(db.Endpoint);
        proxy.Options.DeletionProtected.Add(destination);

        var result = await DdbCopyCli.RunAsync("--sourceEndpoint", proxy.Url, "--sourceTable", source, "--destinationEndpoint", proxy.Url,
            "--destinationTable", destination, "--recreateDestination", "--yes");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains($"The destination table '{destination}' has deletion protection on, so it was not deleted", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, proxy.Stats["DeleteTable"]);
        Assert.Equal(["stale"], (await Tables.ScanAllAsync(db.Client, destination)).Select(i => i["pk"].S));
    }

    [Fact]
    public async Task Copy_DryRun_SaysWhatWouldHappenAndChangesNothing()
    {
        var (source, destination) = await SourceAndStaleDestinationAsync();
        var missing = Tables.UniqueName("dry-missing");

        var differs = await DdbCopyCli.RunAsync(Args(source, destination, "--dryRun"));
        var create = await DdbCopyCli.RunAsync(Args(source, missing, "--dryRun", "--createDestination"));
        var recreate = await DdbCopyCli.RunAsync(Args(source, destination, "--dryRun", "--recreateDestination"));

        Assert.True(differs.ExitCode == 0, differs.ToString());
        Assert.Contains("its definition differs from the source's", differs.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("~ capacity: 1000 RCU, 1000 WCU -> 5 RCU, 5 WCU", differs.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Would write at 2.5 WCU/s", differs.StandardOutput, StringComparison.Ordinal);
        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.Contains($"Would create '{missing}'", create.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"Would delete '{destination}' and create it again", recreate.StandardOutput, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => db.Client.DescribeTableAsync(missing));
        Assert.Equal(["stale"], (await Tables.ScanAllAsync(db.Client, destination)).Select(i => i["pk"].S));
    }

    [Fact]
    public async Task Copy_WithBoostWriteCapacity_RaisesItForTheCopyAndRestoresIt()
    {
        var source = await _tables.CreateAsync("boost-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(2_000));
        var destination = await _tables.CreateAsync("boost-dst", readUnits: 20, writeUnits: 100);

        var result = await DdbCopyCli.RunAsync(Args(source, destination, "--boostWriteCapacity", "1000", "--output", "json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Capacity of {destination}: raised from 20 RCU / 100 WCU to 1000 WCU for the copy", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"Capacity of {destination}: restored to 20 RCU / 100 WCU", result.StandardError, StringComparison.Ordinal);
        // 2,000 WCU at 0.5 x 1,000 WCU/s: 4 s, not the 40 s that 0.5 x 100 WCU would take (timed from outside, with the
        // raise and the restore).
        Assert.InRange(result.Elapsed.TotalSeconds, 3.8, 8);
        var restored = (await db.Client.DescribeTableAsync(destination)).Table.ProvisionedThroughput;
        Assert.Equal((20, 100), (restored.ReadCapacityUnits!.Value, restored.WriteCapacityUnits!.Value));
    }

    [Fact]
    public async Task Copy_WithBoostWriteCapacity_RestoresItAfterAFailedCopy()
    {
        var source = await _tables.CreateAsync("boost-fail-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(2_000));
        var destination = await _tables.CreateAsync("boost-fail-dst", readUnits: 20, writeUnits: 100);

        var result = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(2),
            Args(source, destination, "--boostWriteCapacity", "500", "--readCapacityUnits", "20"),
            async process =>
            {
                await Task.Delay(TimeSpan.FromSeconds(3));
                await db.Client.DeleteTableAsync(source);
            });

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains($"Capacity of {destination}: restored to 20 RCU / 100 WCU", result.StandardError, StringComparison.Ordinal);
        var restored = (await db.Client.DescribeTableAsync(destination)).Table.ProvisionedThroughput;
        Assert.Equal(100, restored.WriteCapacityUnits);
    }

    private string[] Args(string source, string destination, params string[] extra) =>
        ["--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination, .. extra];

    private async Task<(string Source, string Destination)> SourceAndStaleDestinationAsync()
    {
        var source = await _tables.CreateAsync("fresh-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(200));
        var destination = await _tables.CreateAsync("stale-dst", readUnits: 5, writeUnits: 5);
        await Tables.PutAllAsync(db.Client, destination, [new Dictionary<string, AttributeValue> { ["pk"] = new() { S = "stale" } }]);
        return (source, destination);
    }
}
