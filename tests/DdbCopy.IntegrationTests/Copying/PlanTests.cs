using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Copying;

/// <summary>
/// `--dryRun` as a plan through the real CLI against DynamoDB Local: the capacity each side will consume, the time at
/// the budget and the on-demand cost, worked out here from what DescribeTable says of tables of known size.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class PlanTests(DynamoDbFixture db) : IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _tables.DisposeAsync();

    [Fact]
    public async Task DryRun_SaysWhatTheCopyWillConsumeTakeAndCost()
    {
        var source = await _tables.CreateAsync("plan-src", readUnits: 1000, writeUnits: 1000);
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(2_000, 1_500));
        var destination = await _tables.CreateAsync("plan-dst", readUnits: null, writeUnits: null, indexes:
            [
                new GlobalSecondaryIndex
                {
                    IndexName = "by-n",
                    KeySchema = [new KeySchemaElement("n", Amazon.DynamoDBv2.KeyType.HASH)],
                    Projection = new Projection { ProjectionType = Amazon.DynamoDBv2.ProjectionType.ALL },
                },
            ],
            extraAttributes: [new AttributeDefinition("n", Amazon.DynamoDBv2.ScalarAttributeType.N)]);
        var described = (await db.Client.DescribeTableAsync(source)).Table;
        var (items, bytes) = (described.ItemCount!.Value, described.TableSizeBytes!.Value);
        string[] copy = ["--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            "--readCapacityUnits", "20", "--writeCapacityUnits", "200", "--dryRun"];

        var json = await DdbCopyCli.RunAsync([.. copy, "--output", "json"]);
        var text = await DdbCopyCli.RunAsync(copy);
        var priced = await DdbCopyCli.RunAsync([.. copy, "--output", "json", "--writeRequestPrice", "1.25"]);

        Assert.True(json.ExitCode == 0, json.ToString());
        var estimate = JsonDocument.Parse(json.StandardOutput).RootElement.GetProperty("estimate");
        var expectedRead = Math.Ceiling(bytes / 4096.0) * 0.5; // a scan: 0.5 RCU per 4 KB
        var perItem = Math.Ceiling((double)bytes / items / 1024) * 2; // started KB, for the table and its index
        var expectedWrite = items * perItem;
        Assert.Equal(items, estimate.GetProperty("items").GetInt64());
        Assert.Equal(expectedRead, estimate.GetProperty("readUnits").GetDouble());
        Assert.Equal(expectedWrite, estimate.GetProperty("writeUnits").GetDouble());
        Assert.Equal(Math.Round(Math.Max(expectedRead / 20, expectedWrite / 200), 1), estimate.GetProperty("seconds").GetDouble());
        Assert.Equal(JsonValueKind.Null, estimate.GetProperty("readCostUsd").ValueKind); // a provisioned source
        Assert.Equal(expectedWrite * 0.625 / 1_000_000, estimate.GetProperty("writeCostUsd").GetDouble(), 9); // us-east-1, on demand
        Assert.Equal(expectedWrite * 1.25 / 1_000_000,
            JsonDocument.Parse(priced.StandardOutput).RootElement.GetProperty("estimate").GetProperty("writeCostUsd").GetDouble(), 9);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains($"and write about {expectedWrite} WCU (index writes included)", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("On-demand cost: reads: provisioned, writes $", text.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, await Tables.CountAsync(db.Client, destination));
    }
}
