using System.Globalization;
using DdbCopy.Core.Schema;

namespace DdbCopy.Core.Capacity;

/// <summary>
/// What a copy will consume and how long it will take at its budget, estimated from DescribeTable's item count and
/// size (refreshed by DynamoDB about every six hours): reads as a scan is charged (0.5 RCU per 4 KB read, 1 when
/// consistent), writes per item (1 WCU per started KB of the average item, once for the table and once for each global
/// index), and what an on-demand side costs at its per-request price.
/// </summary>
public sealed record CopyEstimate(
    long Items,
    double AverageItemBytes,
    double ReadUnits,
    double WriteUnits,
    double ReadUnitsPerSecond,
    double WriteUnitsPerSecond,
    double Seconds,
    string LimitedBy,
    double? ReadCostUsd,
    double? WriteCostUsd,
    string PriceNote,
    IReadOnlyList<string> Warnings)
{
    /// <summary>
    /// On-demand prices per million request units, standard table class, as AWS published them for us-east-1 after its
    /// price cut of 2024-11-14: $0.125 per million read request units, $0.625 per million write request units. Other
    /// regions differ: pass --readRequestPrice and --writeRequestPrice.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (double Read, double Write)> OnDemandPrices =
        new Dictionary<string, (double, double)>(StringComparer.Ordinal) { ["us-east-1"] = (0.125, 0.625) };

    public const string PricesDate = "2024-11-14";

    /// <param name="planRead">This process's read budget, RCU/s.</param>
    /// <param name="planWrite">This process's write budget, WCU/s.</param>
    /// <param name="share">The share of the table this process copies (its segments of all).</param>
    /// <param name="sourcePrices">USD per million request units (read, write) in the source's region, when known.</param>
    /// <param name="destinationPrices">The same in the destination's region.</param>
    public static CopyEstimate Of(TableInfo source, TableInfo destination, double planRead, double planWrite, double share, bool consistentScan,
        (double Read, double Write)? sourcePrices, (double Read, double Write)? destinationPrices, string priceNote, IEnumerable<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var items = (long)Math.Round(source.ItemCount * share);
        var average = CapacityPlanner.AverageItemBytes(source);
        var readUnits = Math.Ceiling(source.SizeBytes * share / 4096) * (consistentScan ? 1.0 : 0.5);
        var perItem = Math.Max(1, Math.Ceiling(average / 1024)) * (1 + destination.GlobalSecondaryIndexes.Count);
        var writeUnits = items * perItem;
        var readSeconds = planRead > 0 ? readUnits / planRead : 0;
        var writeSeconds = planWrite > 0 ? writeUnits / planWrite : 0;
        double? readCost = source.IsOnDemand && sourcePrices is { } sp ? readUnits * sp.Read / 1_000_000 : null;
        double? writeCost = destination.IsOnDemand && destinationPrices is { } dp ? writeUnits * dp.Write / 1_000_000 : null;
        var all = warnings.ToList();
        if (destination.IsOnDemand && destination.WarmWriteUnits is { } warm && planWrite > warm)
        {
            all.Add(Invariant($"The destination is warm for {warm} WCU/s (about its previous peak); the plan writes at {planWrite:0.#}: DynamoDB may throttle until it adapts."));
        }

        if (source.IsOnDemand && source.WarmReadUnits is { } warmRead && planRead > warmRead)
        {
            all.Add(Invariant($"The source is warm for {warmRead} RCU/s (about its previous peak); the plan reads at {planRead:0.#}: DynamoDB may throttle until it adapts."));
        }

        return new CopyEstimate(items, Math.Round(average), readUnits, writeUnits, planRead, planWrite, Math.Round(Math.Max(readSeconds, writeSeconds), 1),
            readSeconds >= writeSeconds ? "reads" : "writes", readCost, writeCost, priceNote, all);
    }

    /// <summary>The estimate as lines for the dry run.</summary>
    public IReadOnlyList<string> Describe()
    {
        var lines = new List<string>
        {
            Invariant($"Would read about {ReadUnits:0.#} RCU ({Items} items of about {AverageItemBytes:0} bytes) and write about {WriteUnits:0.#} WCU (index writes included)."),
            Invariant($"Would take about {Duration(Seconds)} at {ReadUnitsPerSecond:0.##} RCU/s and {WriteUnitsPerSecond:0.##} WCU/s (limited by the {LimitedBy})."),
        };
        if (ReadCostUsd is not null || WriteCostUsd is not null)
        {
            lines.Add(Invariant($"On-demand cost: {(ReadCostUsd is { } r ? $"reads ${r:0.####}" : "reads: provisioned")}, {(WriteCostUsd is { } w ? $"writes ${w:0.####}" : "writes: provisioned")} ({PriceNote})."));
        }
        else
        {
            lines.Add($"Cost: {PriceNote}.");
        }

        lines.AddRange(Warnings.Select(w => "Warning: " + w));
        return lines;
    }

    private static string Duration(double seconds) =>
        seconds < 120 ? Invariant($"{seconds:0} s") : seconds < 7200 ? Invariant($"{seconds / 60:0.#} minutes") : Invariant($"{seconds / 3600:0.#} hours");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
