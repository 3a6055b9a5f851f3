using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Schema;

/// <summary>
/// What a copy changes for its duration is put right on every way out, not only on success: a destination it created
/// gets the source's stream and TTL after a failure and after Ctrl+C, and a boosted capacity is restored after Ctrl+C.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class FinishOnEveryExitTests(DynamoDbFixture db) : IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);

    private async Task<string> SourceWithStreamAndTtlAsync(string prefix)
    {
        var source = await _tables.CreateAsync(prefix);
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(2_000));
        await db.Client.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = source, StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_IMAGE },
        });
        await db.Client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = source, TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = "expiresAt", Enabled = true },
        });
        return source;
    }

    private static void Interrupt(Process process)
    {
        using var kill = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private async Task AssertStreamAndTtlAsync(string table)
    {
        var described = (await db.Client.DescribeTableAsync(table)).Table;
        Assert.True(described.StreamSpecification?.StreamEnabled == true, $"no stream on {table}");
        Assert.Equal(StreamViewType.NEW_IMAGE, described.StreamSpecification!.StreamViewType);
        var ttl = (await db.Client.DescribeTimeToLiveAsync(table)).TimeToLiveDescription;
        Assert.Equal("expiresAt", ttl.AttributeName);
    }

    [Theory]
    [InlineData("failure")]
    [InlineData("ctrl+c")]
    public async Task ACreatedDestination_GetsTheSourcesStreamAndTtl_AfterAFailureAndAfterCtrlC(string ending)
    {
        var source = await SourceWithStreamAndTtlAsync("finish-src");
        var destination = _tables.Name("finish-dst");

        var result = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(2),
            ["--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
             "--createDestination", "--writeCapacityUnits", "200", "--readCapacityUnits", "100"],
            async process =>
            {
                var watch = Stopwatch.StartNew();
                while (await Tables.CountAsync(db.Client, destination).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : 0) < 100)
                {
                    Assert.True(watch.Elapsed < TimeSpan.FromMinutes(1), "the copy did not start");
                    await Task.Delay(100);
                }

                if (ending == "failure")
                {
                    await db.Client.DeleteTableAsync(source);
                }
                else
                {
                    Interrupt(process);
                }
            });

        Assert.True(result.ExitCode == (ending == "failure" ? 4 : 130), result.ToString());
        Assert.True(await Tables.CountAsync(db.Client, destination) < 2_000, "the copy ended before it was stopped");
        await AssertStreamAndTtlAsync(destination);
    }

    [Fact]
    public async Task ABoostedCapacity_IsRestoredAfterCtrlC()
    {
        var source = await _tables.CreateAsync("boost-int-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(2_000));
        var destination = await _tables.CreateAsync("boost-int-dst", readUnits: 20, writeUnits: 100);

        var result = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(2),
            ["--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
             "--boostWriteCapacity", "400", "--readCapacityUnits", "50"],
            async process =>
            {
                var watch = Stopwatch.StartNew();
                while ((await db.Client.DescribeTableAsync(destination)).Table.ProvisionedThroughput.WriteCapacityUnits != 400 || await Tables.CountAsync(db.Client, destination) < 50)
                {
                    Assert.True(watch.Elapsed < TimeSpan.FromMinutes(1), "the copy did not start");
                    await Task.Delay(100);
                }

                Interrupt(process);
            });

        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.Contains($"Capacity of {destination}: restored to 20 RCU / 100 WCU", result.StandardError, StringComparison.Ordinal);
        var restored = (await db.Client.DescribeTableAsync(destination)).Table.ProvisionedThroughput;
        Assert.Equal((20, 100), (restored.ReadCapacityUnits!.Value, restored.WriteCapacityUnits!.Value));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _tables.DisposeAsync().AsTask();
}
