using System.Net;
using Amazon.DynamoDBv2;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Schema;
using DdbCopy.Tests.Fakes;
using DdbCopy.Tests.Schema;
using Microsoft.Extensions.Time.Testing;

namespace DdbCopy.Tests.Capacity;

public sealed class CapacityBoostTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 10, 30, 0, TimeSpan.Zero));

    private static async Task<FakeDynamoDbClient> ClientWithTableAsync(string billing = "PROVISIONED", long decreasesToday = 0)
    {
        var client = new FakeDynamoDbClient();
        var definition = new CreateOverrides(BillingMode: billing).Apply(TableCreatorTests.Full() with { DeletionProtection = false }, "orders");
        await client.CreateTableAsync(CreateTableRequestFactory.Build(definition));
        client.Tables["orders"].ProvisionedThroughput.NumberOfDecreasesToday = decreasesToday;
        return client;
    }

    [Fact]
    public async Task Raise_SetsTheTableAndItsIndexesInProportionAndRestorePutsThemBack()
    {
        var client = await ClientWithTableAsync();
        var logger = new TableCreatorTests.RecordingLogger();
        var boost = new CapacityBoost(client, _time, logger);

        var original = await boost.RaiseAsync("orders", 1000, default);

        Assert.NotNull(original);
        Assert.Equal(1000, client.Tables["orders"].ProvisionedThroughput.WriteCapacityUnits);
        Assert.Equal(100, client.Tables["orders"].ProvisionedThroughput.ReadCapacityUnits);
        Assert.Equal(100, client.Tables["orders"].GlobalSecondaryIndexes[0].ProvisionedThroughput.WriteCapacityUnits); // 20 x 1000 / 200

        Assert.True(await boost.RestoreAsync("orders", original));
        Assert.Equal(200, client.Tables["orders"].ProvisionedThroughput.WriteCapacityUnits);
        Assert.Equal(20, client.Tables["orders"].GlobalSecondaryIndexes[0].ProvisionedThroughput.WriteCapacityUnits);
        Assert.Empty(logger.Warnings);
    }

    [Fact]
    public async Task Raise_OnAnOnDemandTableOrBelowTheCurrentCapacity_ChangesNothing()
    {
        var onDemand = await ClientWithTableAsync("PAY_PER_REQUEST");
        var provisioned = await ClientWithTableAsync();

        Assert.Null(await new CapacityBoost(onDemand, _time, new TableCreatorTests.RecordingLogger()).RaiseAsync("orders", 1000, default));
        Assert.Null(await new CapacityBoost(provisioned, _time, new TableCreatorTests.RecordingLogger()).RaiseAsync("orders", 150, default));
        Assert.DoesNotContain("UpdateTable", onDemand.Calls);
        Assert.DoesNotContain("UpdateTable", provisioned.Calls);
    }

    [Fact]
    public async Task Raise_WhenTheDecreaseQuotaIsUsedUp_WarnsBeforeRaising()
    {
        // 10:30 UTC: 4 + 10 decreases allowed so far today; 14 were used.
        var client = await ClientWithTableAsync(decreasesToday: 14);
        var logger = new TableCreatorTests.RecordingLogger();

        await new CapacityBoost(client, _time, logger).RaiseAsync("orders", 1000, default);

        Assert.Contains(logger.Warnings, w => w.Contains("has used its capacity decreases for now (14 today)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Restore_WhenDynamoDbRefusesIt_SaysWhatToSetByHandAndDoesNotThrow()
    {
        var client = await ClientWithTableAsync();
        var logger = new TableCreatorTests.RecordingLogger();
        var boost = new CapacityBoost(client, _time, logger);
        var original = await boost.RaiseAsync("orders", 1000, default);
        client.UpdateTableFails = new AmazonDynamoDBException("Subscriber limit exceeded: Provisioned throughput decreases are limited")
        {
            ErrorCode = "LimitExceededException",
            StatusCode = HttpStatusCode.BadRequest,
        };

        Assert.False(await boost.RestoreAsync("orders", original!));
        Assert.Contains(logger.Warnings, w => w.Contains("Could not restore the capacity of orders (LimitExceededException", StringComparison.Ordinal)
            && w.Contains("set it back to 100 RCU / 200 WCU, index by-g 10 RCU / 20 WCU yourself", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, 30, 0, 4)]
    [InlineData(0, 59, 4, 0)]
    [InlineData(1, 0, 4, 1)]
    [InlineData(5, 10, 4, 5)]
    [InlineData(23, 59, 0, 27)]
    [InlineData(23, 59, 27, 0)]
    public void DecreaseQuota_FollowsDynamoDbsRules(int hour, int minute, long used, int available) =>
        Assert.Equal(available, DecreaseQuota.Available(new DateTimeOffset(2026, 11, 25, hour, minute, 0, TimeSpan.Zero), used));

    [Fact]
    public void DecreaseQuota_WarnsWhenOneOrNoneIsLeft()
    {
        var now = new DateTimeOffset(2026, 11, 25, 0, 10, 0, TimeSpan.Zero);
        Assert.Null(DecreaseQuota.Warning("t", now, 2));
        Assert.Contains("one capacity decrease left", DecreaseQuota.Warning("t", now, 3), StringComparison.Ordinal);
        Assert.Contains("has used its capacity decreases", DecreaseQuota.Warning("t", now, 4), StringComparison.Ordinal);
    }
}
