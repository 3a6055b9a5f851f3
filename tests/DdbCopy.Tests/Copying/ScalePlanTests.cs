using DdbCopy.Core.Capacity;
using DdbCopy.Core.Jobs.Copying;

namespace DdbCopy.Tests.Copying;

/// <summary>What the dry run says about scale: processes for the budget, and AWS's export + import against this copy.</summary>
public sealed class ScalePlanTests
{
    /// <summary>A whole table of 1 KB items (1 WCU each) at a write budget, on demand at us-east-1's prices when asked.</summary>
    private static CopyEstimate Estimate(long items, double writeUnitsPerSecond, bool onDemand = true) =>
        new(items, 1000, items / 8.0, items, writeUnitsPerSecond / 8, writeUnitsPerSecond, items / writeUnitsPerSecond, "writes",
            onDemand ? items / 8.0 * 0.125 / 1e6 : null, onDemand ? items * 0.625 / 1e6 : null, "us-east-1", []);

    [Theory]
    [InlineData(400_000, 1, "run it as --totalSections 10")]
    [InlineData(400_000, 4, "run it as --totalSections 10")]
    [InlineData(100_000, 3, "3 processes enough")]
    [InlineData(20_000, 1, "one process enough")]
    public void TheWholeJobsBudget_GivesTheProcessesItNeeds(double jobWcu, int sections, string expected)
    {
        var lines = ScalePlan.Describe(Estimate(1_000_000_000 / sections, jobWcu / sections), sections, 1_000_000_000_000, follow: false, createsDestination: true);

        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void ANewTableNotFollowed_OnDemand_IsCheaperByAwsExportAndImport_AtATerabyte()
    {
        // 1 TB of 1 KB items: reads $15.63 + writes $625 on demand, against $100 + $150.
        var lines = ScalePlan.Describe(Estimate(1_000_000_000, 40_000), 1, 1_000_000_000_000, follow: false, createsDestination: true);

        Assert.Contains("would cost about $250", lines[1], StringComparison.Ordinal);
        Assert.Contains("less than this copy's on-demand $640.63. Recommended: AWS's export and import", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, true, "it imports only into a new table")]
    [InlineData(true, false, "it cannot follow the source")]
    public void AnExistingDestination_OrAFollowedCopy_HasOnlyThisCopy(bool follow, bool exists, string why)
    {
        var lines = ScalePlan.Describe(Estimate(1_000_000, 1_000), 1, 1_000_000_000, follow, createsDestination: !exists);

        Assert.Contains(why, lines[1], StringComparison.Ordinal);
        Assert.EndsWith("Recommended: this copy.", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void AProvisionedDestination_IsComparedInTheDocs_NotPriced()
    {
        var lines = ScalePlan.Describe(Estimate(1_000_000, 1_000, onDemand: false), 1, 1_000_000_000, follow: false, createsDestination: true);

        Assert.Contains("provisioned capacity instead", lines[1], StringComparison.Ordinal);
    }
}
