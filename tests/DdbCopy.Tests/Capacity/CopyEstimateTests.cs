using DdbCopy.Core.Capacity;
using DdbCopy.Core.Schema;
using DdbCopy.Tests.Fakes;

namespace DdbCopy.Tests.Capacity;

/// <summary>What a copy will consume, take and cost, worked out by hand for tables of known size.</summary>
public sealed class CopyEstimateTests
{
    private static readonly IndexInfo ByCustomer = new("by-customer", ["customer"], 0);

    [Fact]
    public void Estimate_OfTenThousandItemsOfOneAndAHalfKilobytes_IntoATableWithAnIndex()
    {
        // 10,000 items, 15,000,000 bytes: 1,500 bytes each, so 2 WCU per item (started KB) twice (table and index).
        var source = TestTables.Provisioned(1000, 1000, items: 10_000, bytes: 15_000_000);
        var destination = TestTables.OnDemand(indexes: ByCustomer);

        var estimate = CopyEstimate.Of(source, destination, planRead: 100, planWrite: 500, share: 1, consistentScan: false, null, (0.125, 0.625), "test", []);

        Assert.Equal(10_000, estimate.Items);
        Assert.Equal(1_500, estimate.AverageItemBytes);
        Assert.Equal(Math.Ceiling(15_000_000 / 4096.0) * 0.5, estimate.ReadUnits); // 1,831.5
        Assert.Equal(40_000, estimate.WriteUnits);
        Assert.Equal(80, estimate.Seconds); // 40,000 WCU at 500/s; reads take 18.3 s
        Assert.Equal("writes", estimate.LimitedBy);
        Assert.Null(estimate.ReadCostUsd); // a provisioned source
        Assert.Equal(0.025, estimate.WriteCostUsd!.Value, 6); // 40,000 x $0.625 / 1,000,000
    }

    [Fact]
    public void Estimate_ConsistentReadsCostTwice_AndASectionItsShare()
    {
        var source = TestTables.Provisioned(1000, 1000, items: 8_000, bytes: 8_192_000);
        var destination = TestTables.Provisioned(1000, 1000);

        var whole = CopyEstimate.Of(source, destination, 10, 1000, 1, consistentScan: true, null, null, "test", []);
        var quarter = CopyEstimate.Of(source, destination, 10, 1000, 0.25, consistentScan: false, null, null, "test", []);

        Assert.Equal(2_000, whole.ReadUnits); // 8,192,000 / 4,096 x 1
        Assert.Equal(200, whole.Seconds);
        Assert.Equal("reads", whole.LimitedBy);
        Assert.Equal(250, quarter.ReadUnits); // a quarter, at 0.5
        Assert.Equal(2_000, quarter.Items);
        Assert.Null(whole.WriteCostUsd);
    }

    [Fact]
    public void Estimate_AboveWhatAnOnDemandTableIsWarmFor_Warns()
    {
        var source = TestTables.Provisioned(1000, 1000);
        var destination = TestTables.OnDemand() with { WarmWriteUnits = 4_000 };

        var fast = CopyEstimate.Of(source, destination, 100, 6_000, 1, false, null, null, "test", ["given"]);
        var slow = CopyEstimate.Of(source, destination, 100, 3_000, 1, false, null, null, "test", []);

        Assert.Equal(2, fast.Warnings.Count);
        Assert.Contains("warm for 4000 WCU/s", fast.Warnings[1], StringComparison.Ordinal);
        Assert.Empty(slow.Warnings);
        Assert.Contains(fast.Describe(), l => l.StartsWith("Warning: given", StringComparison.Ordinal));
    }
}
