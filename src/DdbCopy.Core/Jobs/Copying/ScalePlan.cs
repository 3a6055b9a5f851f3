using System.Globalization;
using DdbCopy.Core.Capacity;

namespace DdbCopy.Core.Jobs.Copying;

/// <summary>
/// What --dryRun says about scale (docs/scale.md has the arithmetic): how many processes the whole job's write budget
/// needs, and whether AWS's own export to S3 + import from S3 would be the cheaper path for this copy.
/// </summary>
public static class ScalePlan
{
    /// <summary>
    /// Items of about 1 KB one process writes a second when every call takes 20-40 ms (2 cores, against the bench's fast
    /// fake with --latencyMs 40 and 20: 43,271 and 43,826 items/s, 2026-12-06), rounded down.
    /// </summary>
    public const double ItemsPerSecondPerProcess = 40_000;

    /// <summary>AWS's prices in us-east-1 (aws.amazon.com/dynamodb/pricing, as of 2024-11): full export to S3 per GB of table, import from S3 per GB of data.</summary>
    public const double ExportUsdPerGb = 0.10;

    public const double ImportUsdPerGb = 0.15;

    public const string PricesDate = "2024-11";

    /// <param name="estimate">This process's estimate (its share of the table, its share of the budget).</param>
    /// <param name="totalSections">How many processes share the job.</param>
    /// <param name="tableBytes">The source's size (DescribeTable).</param>
    /// <param name="follow">The copy follows the source's stream.</param>
    /// <param name="createsDestination">The destination does not exist yet (or is recreated).</param>
    public static IReadOnlyList<string> Describe(CopyEstimate estimate, int totalSections, long tableBytes, bool follow, bool createsDestination)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        var lines = new List<string>();
        var unitsPerItem = estimate.Items > 0 ? Math.Max(1, estimate.WriteUnits / estimate.Items) : 1;
        var jobItemsPerSecond = estimate.WriteUnitsPerSecond * Math.Max(1, totalSections) / unitsPerItem;
        var needed = (int)Math.Ceiling(jobItemsPerSecond / ItemsPerSecondPerProcess);
        if (needed > totalSections)
        {
            lines.Add(Invariant($"Scale: the budget is about {jobItemsPerSecond:0} items/s for the whole job, more than {Processes(totalSections)} write (about {ItemsPerSecondPerProcess:0} items/s each at a 20-40 ms round trip): run it as --totalSections {needed} (docs/scale.md)."));
        }
        else
        {
            lines.Add(Invariant($"Scale: about {jobItemsPerSecond:0} items/s for the whole job: {Processes(totalSections)} enough (one writes about {ItemsPerSecondPerProcess:0} items/s at a 20-40 ms round trip)."));
        }

        var gigabytes = tableBytes / 1e9;
        var aws = gigabytes * (ExportUsdPerGb + ImportUsdPerGb);
        var awsText = Invariant($"AWS's export to S3 + import from S3 would cost about ${aws:0.##} (${ExportUsdPerGb:0.00} + ${ImportUsdPerGb:0.00} per GB, us-east-1, {PricesDate}) and use no capacity");
        if (!createsDestination || follow)
        {
            var why = !createsDestination ? "it imports only into a new table, and this destination exists" : "it cannot follow the source, and this copy does";
            lines.Add($"{awsText}, but is no path here: {why}. Recommended: this copy.");
            return lines;
        }

        var copy = (estimate.ReadCostUsd ?? 0) + (estimate.WriteCostUsd ?? 0);
        lines.Add(estimate.WriteCostUsd is null
            ? $"{awsText}; this copy uses the tables' provisioned capacity instead (docs/scale.md compares the two). Recommended: AWS's export and import when the source need not be followed and the provisioned capacity is needed elsewhere; else this copy."
            : copy * Math.Max(1, totalSections) > aws
                ? Invariant($"{awsText}, less than this copy's on-demand ${copy * Math.Max(1, totalSections):0.##}. Recommended: AWS's export and import (aws dynamodb export-table-to-point-in-time, then import-table), unless the copy must be shaped, masked or followed.")
                : Invariant($"{awsText}, more than this copy's on-demand ${copy * Math.Max(1, totalSections):0.##}. Recommended: this copy."));
        return lines;
    }

    private static string Processes(int count) => count == 1 ? "one process" : Invariant($"{count} processes");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
