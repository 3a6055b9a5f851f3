using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Jobs.Copying;
using DdbCopy.Core.Schema;
using DdbCopy.Tests.Fakes;

namespace DdbCopy.Tests.Capacity;

public sealed class CapacityPlannerTests
{
    private static readonly SideSpec Local = new(new EndpointSpec(new Uri("http://localhost:8000"), null, true), null);

    private static CopySettings Settings(double read = 0.25, double write = 0.5, int sections = 1, int section = 0,
        double? readUnits = null, double? writeUnits = null, int? segments = null, bool consistent = false) => new()
    {
        Source = Local, SourceTable = "a", Destination = Local, DestinationTable = "b",
        ReadRatio = read, Write = new WriteSettings { Ratio = write, UnitsPerSecond = writeUnits }, TotalSections = sections, Section = section,
        ReadUnitsPerSecond = readUnits, Segments = segments, ConsistentScan = consistent,
    };

    private static CopyPlan Plan(CopySettings settings, TableInfo source, TableInfo destination, int processorCount) =>
        CapacityPlanner.Plan(settings.ReadRequest, settings.WriteRequest, settings.Rate, source, destination, processorCount);

    [Fact]
    public void Plan_ForProvisionedTables_UsesTheRatiosOfTheirCapacity()
    {
        var plan = Plan(Settings(read: 0.3, write: 0.5), TestTables.Provisioned(1000, 10), TestTables.Provisioned(10, 400), 2);

        Assert.Equal(300, plan.ReadUnitsPerSecond);
        Assert.Equal(200, plan.WriteUnitsPerSecond);
        Assert.Contains("--readThroughputRatio 0.3 x 1000 provisioned RCU", plan.ReadRateReason, StringComparison.Ordinal);
        Assert.True(plan.WriteCost.IsPerResource);
    }

    [Fact]
    public void Plan_ForOnDemandTables_UsesTheDocumentedDefaultsAndSaysWhy()
    {
        var plan = Plan(Settings(read: 0.5, write: 0.5), TestTables.OnDemand(), TestTables.OnDemand(), 2);

        Assert.Equal(6000, plan.ReadUnitsPerSecond);
        Assert.Equal(2000, plan.WriteUnitsPerSecond);
        Assert.Contains("PAY_PER_REQUEST and no --readCapacityUnits was given", plan.ReadRateReason, StringComparison.Ordinal);
        Assert.Contains("a new on-demand table serves at once", plan.WriteRateReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ForOnDemandTablesWithAMaximum_UsesTheMaximum()
    {
        var plan = Plan(Settings(read: 0.5, write: 0.5), TestTables.OnDemand(maxRead: 100), TestTables.OnDemand(maxWrite: 50), 2);

        Assert.Equal(50, plan.ReadUnitsPerSecond);
        Assert.Equal(25, plan.WriteUnitsPerSecond);
    }

    [Fact]
    public void Plan_WithAbsoluteUnits_OverridesRatiosAndCountsIndexWritesInTheTotal()
    {
        var destination = TestTables.Provisioned(10, 1000, indexes: new IndexInfo("gsi", ["g"], 1000));
        var plan = Plan(Settings(readUnits: 123, writeUnits: 456), TestTables.Provisioned(1000, 10), destination, 2);

        Assert.Equal(123, plan.ReadUnitsPerSecond);
        Assert.Equal(456, plan.WriteUnitsPerSecond);
        Assert.False(plan.WriteCost.IsPerResource);
        Assert.Contains("index writes included", plan.WriteRateReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_WithSections_GivesEachSectionItsShareOfBudgetAndSegments()
    {
        var plans = Enumerable.Range(0, 3)
            .Select(i => Plan(Settings(read: 0.3, write: 0.6, sections: 3, section: i, segments: 4),
                TestTables.Provisioned(900, 10), TestTables.Provisioned(10, 900), 2))
            .ToList();

        Assert.All(plans, p => Assert.Equal(90, p.ReadUnitsPerSecond, 6));
        Assert.All(plans, p => Assert.Equal(180, p.WriteUnitsPerSecond, 6));
        Assert.All(plans, p => Assert.Equal(6, p.TotalSegments));
        Assert.Equal(Enumerable.Range(0, 6), plans.SelectMany(p => p.Segments).Order());
        Assert.All(plans, p => Assert.Equal(2, p.Segments.Count));
    }

    [Theory]
    [InlineData(10L, 100L, 1, 1)]            // tiny table, slow: one segment
    [InlineData(5_000L, 5_000_000L, 100, 4)]  // more than 1,000 items: at least four
    [InlineData(5_000L, 5_000_000L, 10_000, 5)] // 2,500 RCU/s at 0.25: one segment per 500 RCU/s
    [InlineData(100_000_000L, 50L << 30, 100, 50)] // 50 GiB: one segment per GiB
    public void Plan_ChoosesSegmentsFromSizeAndRate(long items, long bytes, long rcu, int expected)
    {
        var plan = Plan(Settings(), TestTables.Provisioned(rcu, 10, items, bytes), TestTables.Provisioned(10, 10), 2);
        Assert.Equal(expected, plan.TotalSegments);
    }

    [Fact]
    public void Plan_KeepsAScanPageWithinASecondOfItsSegmentsShareAndAFewPercentOfTheBudget()
    {
        // 40 RCU/s: a page may cost 4% of that, 1.6 RCU, eventually consistent 3.2 x 4 KB: 12 items of 1 KB.
        var slow = Plan(Settings(read: 0.4, segments: 1), TestTables.Provisioned(100, 10, 1000, 1_024_000), TestTables.Provisioned(10, 100_000), 2);
        Assert.Equal(12, slow.ScanPageLimit);
        Assert.Equal(2, slow.EstimatedPageUnits);

        // 400 RCU/s over 40 segments: a segment's second (10 RCU) is less than 4% (16 RCU): 80 KB, 80 items.
        var split = Plan(Settings(read: 0.4, segments: 40), TestTables.Provisioned(1000, 10, 1000, 1_024_000), TestTables.Provisioned(10, 100_000), 2);
        Assert.Equal(80, split.ScanPageLimit);
        Assert.Equal(10, split.EstimatedPageUnits);
    }

    [Theory]
    [InlineData(1000, 0, 1000, 25)]
    [InlineData(100, 0, 1000, 4)]
    [InlineData(10, 0, 1000, 1)]
    [InlineData(1000, 0, 3000, 13)]
    [InlineData(1000, 1, 1000, 20)]
    public void BatchItems_KeepsOneBatchWithinAFewPercentOfASecondsBudget(double wcu, int indexes, double itemBytes, int expected)
    {
        var destination = TestTables.Provisioned(10, 10) with
        {
            GlobalSecondaryIndexes = Enumerable.Range(0, indexes).Select(i => new DdbCopy.Core.Schema.IndexInfo($"g{i}", ["k"], 10)).ToList(),
        };
        Assert.Equal(expected, CapacityPlanner.BatchItems(wcu, destination, itemBytes));
    }

    [Fact]
    public void Plan_WhenAPageCanBeAFullMegabyte_SetsNoLimit()
    {
        var plan = Plan(Settings(read: 1, segments: 1), TestTables.Provisioned(10_000, 10), TestTables.Provisioned(10, 100_000), 2);
        Assert.Null(plan.ScanPageLimit);
    }

    [Fact]
    public void Plan_KeepsTheScanPagesOfTheSegmentsReadAtOnceWithinAQuarterSecondOfTheWrites()
    {
        // 10,000 RCU would allow 1 MB pages; 2,000 WCU of 1 KB items over 4 segments take 500 items a second from each: 125.
        var plan = Plan(Settings(read: 1, segments: 4, writeUnits: 2000), TestTables.Provisioned(10_000, 10, 1000, 1_024_000), TestTables.Provisioned(10, 10_000), 2);
        Assert.Equal(125, plan.ScanPageLimit);
        Assert.Equal(16, plan.EstimatedPageUnits); // 125 KB: 32 x 4 KB, eventually consistent

        // 16 segments, 4 read at once: the same page.
        Assert.Equal(125, Plan(Settings(read: 1, segments: 16, writeUnits: 2000), TestTables.Provisioned(10_000, 10, 1000, 1_024_000),
            TestTables.Provisioned(10, 10_000), 2).ScanPageLimit);

        // 40 WCU over 4 segments: 10 items a second each, a quarter second of it rounded up.
        var slow = Plan(Settings(read: 1, segments: 4, writeUnits: 40), TestTables.Provisioned(10_000, 10, 1000, 1_024_000), TestTables.Provisioned(10, 10_000), 2);
        Assert.Equal(3, slow.ScanPageLimit);

        // An adaptive rate may grow to its ceiling: pages are sized for it (40,000 WCU of an on-demand table).
        var adaptive = Plan(Settings(read: 1, segments: 4), TestTables.Provisioned(10_000, 10, 1000, 1_024_000), TestTables.OnDemand(), 2);
        Assert.Null(adaptive.ScanPageLimit);
    }

    [Fact]
    public void Plan_DefaultsWritersToEightPerCoreWithinBounds()
    {
        Assert.Equal(16, Plan(Settings(), TestTables.Provisioned(10, 10), TestTables.Provisioned(10, 10), 2).WriterCount);
        Assert.Equal(8, Plan(Settings(), TestTables.Provisioned(10, 10), TestTables.Provisioned(10, 10), 1).WriterCount);
        Assert.Equal(64, Plan(Settings(), TestTables.Provisioned(10, 10), TestTables.Provisioned(10, 10), 32).WriterCount);
    }

    [Fact]
    public void Plan_BoundsThePagesReadAtOnceByMemory_AndSaysHowManyPagesTheWritesTake()
    {
        // 1 MB pages: 4 MB holds 4, within the 40 segments; 2,000 WCU of 1 KB items take 2,000 items a second.
        var big = Plan(Settings(read: 1, segments: 40, writeUnits: 2000), TestTables.Provisioned(1_000_000, 10, 1000, 1_024_000),
            TestTables.Provisioned(10, 10_000), 2);
        Assert.Equal(4, big.Read.MaxPagesInFlight);
        Assert.Equal(2000.0 / big.ScanPageLimit!.Value, big.Read.UsefulPagesPerSecond!.Value, 6);

        // Never more than this process's segments, and at least 4 when it has them.
        Assert.Equal(2, Plan(Settings(read: 1, segments: 2), TestTables.Provisioned(1_000_000, 10), TestTables.Provisioned(10, 10_000), 2).Read.MaxPagesInFlight);
        var small = Plan(Settings(read: 0.4, segments: 40), TestTables.Provisioned(1000, 10, 1000, 1_024_000), TestTables.Provisioned(10, 100_000), 2);
        Assert.Equal(40, small.Read.MaxPagesInFlight); // 80 KB pages: 4 MB holds 51, this process has 40 segments
    }
}
