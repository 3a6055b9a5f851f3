using System.Globalization;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Schema;

namespace DdbCopy.Core.Capacity;

/// <summary>Turns ratios, absolute limits and the two tables' definitions into a <see cref="CopyPlan"/>.</summary>
public static class CapacityPlanner
{
    /// <summary>What a new on-demand table serves at once (AWS documentation): used when no limit is given.</summary>
    public const long OnDemandDefaultReadUnits = 12_000;

    /// <summary>What a new on-demand table serves at once for writes.</summary>
    public const long OnDemandDefaultWriteUnits = 4_000;

    private const double ReadUnitsPerSegment = 500;
    private const long BytesPerSegment = 1L << 30;
    private const int MaxAutoSegments = 512;
    private const double ScanPageMaxBytes = 1024 * 1024;
    private const double AssumedItemBytes = 1024;

    /// <summary>The plan of a table-to-table copy: both sides' budgets, the segments, the writers; the write budget divided among <see cref="ReadRequest.TotalSections"/> too.</summary>
    public static CopyPlan Plan(ReadRequest readRequest, WriteRequest writeRequest, RateMode rate, TableInfo source, TableInfo destination, int processorCount)
    {
        ArgumentNullException.ThrowIfNull(readRequest);
        ArgumentNullException.ThrowIfNull(writeRequest);
        ArgumentNullException.ThrowIfNull(destination);
        var read = PlanRead(readRequest, source);
        var sections = readRequest.TotalSections;
        var (jobWrite, writeReason, cost) = WriteBudget(writeRequest.Ratio, writeRequest.UnitsPerSecond, destination);
        var writers = writeRequest.MaxWriteThreads ?? DefaultWriters(processorCount);
        var write = jobWrite / sections;
        var itemBytes = AverageItemBytes(source);
        var batchItems = BatchItems(write, destination, itemBytes);
        var writeCeiling = AdaptiveCeiling(rate, destination, writeRequest.UnitsPerSecond, destination.OnDemandMaxWriteUnits, write, sections);
        read = PagesForTheWrites(read, (writeCeiling ?? write) / UnitsPerItem(destination, itemBytes), itemBytes, batchItems, readRequest.ConsistentScan);
        return new CopyPlan(read.ReadUnitsPerSecond, read.ReadRateReason, write, writeReason + SectionNote(sections),
            cost, read.TotalSegments, read.Segments, read.ScanPageLimit, read.EstimatedPageUnits, writers,
            batchItems,
            AdaptiveCeiling(rate, source, readRequest.UnitsPerSecond, source.OnDemandMaxReadUnits, read.ReadUnitsPerSecond, sections),
            writeCeiling,
            writeRequest.MaxWriteThreads ?? MaxInFlight(batchItems, itemBytes), read.MaxPagesInFlight, read.UsefulPagesPerSecond);
    }

    /// <summary>
    /// The share of a second's budget one request may cost at most (4%): with requests no bigger, no second of a run
    /// spends more than the budget plus that share.
    /// </summary>
    public const double MaxRequestShare = 0.04;

    /// <summary>
    /// Items per BatchWriteItem: 25 (DynamoDB's maximum), fewer when 25 items would cost more than
    /// <see cref="MaxRequestShare"/> of a second's budget (at low rates), at least 1.
    /// </summary>
    public static int BatchItems(double writeUnitsPerSecond, TableInfo destination, double averageItemBytes)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var items = (int)Math.Floor(writeUnitsPerSecond * MaxRequestShare / UnitsPerItem(destination, averageItemBytes));
        return Math.Clamp(items, 1, DynamoDbLimits.BatchWriteItems);
    }

    /// <summary>What writing one item of the average size costs in the destination, its global indexes included.</summary>
    private static double UnitsPerItem(TableInfo destination, double averageItemBytes) =>
        Math.Max(1, Math.Ceiling(averageItemBytes / 1024)) * (1 + destination.GlobalSecondaryIndexes.Count);

    /// <summary>
    /// A scan page holds at most what the writes take from one segment in <see cref="PageSeconds"/> (at least a batch):
    /// the pages the segments hold while the writes catch up are what a killed run reads again, and a copy reads no
    /// faster than it writes. Divided among the segments read at once, so together they hold that much.
    /// </summary>
    private static ReadPlan PagesForTheWrites(ReadPlan read, double writeItemsPerSecond, double itemBytes, int batchItems, bool consistent)
    {
        var lanes = Math.Clamp(read.Segments.Count, 1, ParallelSegments);
        var pageItems = (int)Math.Min(int.MaxValue, Math.Max(batchItems, Math.Ceiling(writeItemsPerSecond / lanes * PageSeconds)));
        var unitsPer4K = consistent ? 1.0 : 0.5;
        var units = Math.Max(unitsPer4K, Math.Ceiling(pageItems * itemBytes / 4096) * unitsPer4K);
        if ((read.ScanPageLimit is { } limit && limit <= pageItems) || units >= read.EstimatedPageUnits)
        {
            var items = read.ScanPageLimit ?? Math.Max(1, ScanPageMaxBytes / Math.Max(1, itemBytes));
            return read with { UsefulPagesPerSecond = writeItemsPerSecond / items };
        }

        return read with { ScanPageLimit = pageItems, EstimatedPageUnits = units, UsefulPagesPerSecond = writeItemsPerSecond / pageItems };
    }

    /// <summary>
    /// The pages read or held at once may hold at most this much (raw; parsed, a few times more): 4 pages of 1 MB, more
    /// of smaller pages. Parsing a page is CPU work: against the fast fake on 2 cores, 8 pages of 1 MB at once copied
    /// 17% slower with 25% more memory than 4 (bench/README.md).
    /// </summary>
    public const long PagesInFlightBytes = 4L << 20;

    /// <summary>How long the writes take to drain one scan page of each segment read at once, at most (see <see cref="PagesForTheWrites"/>).</summary>
    public const double PageSeconds = 0.25;

    /// <summary>
    /// Segments read at once are sized from the read budget (or a copy's writes) and the Scan's round trip (by the scan
    /// source, with an <see cref="InFlightSizer"/>); a copy's page is sized as if this many were (4 was the fixed
    /// count before, and at most this many may always be read at once when the memory bound allows fewer).
    /// </summary>
    public const int ParallelSegments = 4;

    /// <summary>The table's average item size from DescribeTable's estimates, or 1 KB when it says nothing.</summary>
    public static double AverageItemBytes(TableInfo table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.ItemCount > 0 && table.SizeBytes > 0 ? (double)table.SizeBytes / table.ItemCount : AssumedItemBytes;
    }

    /// <summary>The reading half of a plan: this section's read budget, its segments and the scan page size.</summary>
    public static ReadPlan PlanRead(ReadRequest request, TableInfo source)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(source);
        var share = request.TotalSections;
        var (jobRead, readReason) = ReadBudget(request, source);
        var read = jobRead / share;

        var totalSegments = TotalSegments(request, source, jobRead);
        var mine = Enumerable.Range(0, totalSegments).Where(s => s % share == request.Section).ToList();

        // Keep one scan page within about a second of this segment's share of the budget, so reads stay smooth, and
        // within a small share of the whole budget, so no second spends more than the budget plus that share.
        var avgItemBytes = AverageItemBytes(source);
        var unitsPer4K = request.ConsistentScan ? 1.0 : 0.5;
        var perSegmentUnits = Math.Max(Math.Min(read / Math.Max(1, mine.Count), read * MaxRequestShare), unitsPer4K);
        var pageBytes = Math.Min(ScanPageMaxBytes, perSegmentUnits / unitsPer4K * 4096);
        int? pageLimit = pageBytes >= ScanPageMaxBytes ? null : (int)Math.Max(1, pageBytes / avgItemBytes);
        var estimatedPageUnits = Math.Max(unitsPer4K, Math.Ceiling(pageBytes / 4096) * unitsPer4K);
        var maxPages = (int)Math.Min(mine.Count, Math.Clamp(PagesInFlightBytes / Math.Max(1, pageBytes), ParallelSegments, 64));
        return new ReadPlan(read, readReason + SectionNote(share), totalSegments, mine, pageLimit, estimatedPageUnits,
            MaxPagesInFlight: Math.Max(1, maxPages));
    }

    private static string SectionNote(int sections) =>
        sections > 1 ? string.Create(CultureInfo.InvariantCulture, $", divided by {sections} sections") : "";

    private static (double Units, string Reason) ReadBudget(ReadRequest s, TableInfo source)
    {
        if (s.UnitsPerSecond is { } absolute)
        {
            return (absolute, Invariant($"--readCapacityUnits {absolute}"));
        }

        if (!source.IsOnDemand)
        {
            return (s.Ratio * source.ReadCapacityUnits,
                Invariant($"--readThroughputRatio {s.Ratio} x {source.ReadCapacityUnits} provisioned RCU of {source.Name}"));
        }

        var basis = source.OnDemandMaxReadUnits ?? OnDemandDefaultReadUnits;
        var why = source.OnDemandMaxReadUnits is null
            ? "the read rate a new on-demand table serves at once"
            : "the table's on-demand maximum read rate";
        return (s.Ratio * basis,
            Invariant($"{source.Name} is PAY_PER_REQUEST and no --readCapacityUnits was given: --readThroughputRatio {s.Ratio} x {basis} RCU ({why})"));
    }

    /// <summary>
    /// The plan of a command that only writes (an import, a repair, a generated load): the write budget and why, the
    /// writers, the items per batch, and the adaptive ceiling when <paramref name="rate"/> makes the rate adapt.
    /// </summary>
    public static (WritePlan Plan, string Reason) PlanWrite(double writeRatio, double? writeUnitsPerSecond, int? maxWriteThreads, TableInfo destination,
        double averageItemBytes, RateMode rate, int processorCount)
    {
        var (units, reason, cost) = WriteBudget(writeRatio, writeUnitsPerSecond, destination);
        var batchItems = BatchItems(units, destination, averageItemBytes);
        var plan = new WritePlan(units, cost, maxWriteThreads ?? DefaultWriters(processorCount), batchItems,
            AdaptiveCeiling(rate, destination, writeUnitsPerSecond, destination.OnDemandMaxWriteUnits, units, 1),
            maxWriteThreads ?? MaxInFlight(batchItems, averageItemBytes));
        return (plan, reason);
    }

    /// <summary>The plan of a command that only writes, from its <see cref="WriteSettings"/>; <paramref name="rate"/> overrides its rate mode.</summary>
    public static (WritePlan Plan, string Reason) PlanWrite(WriteSettings write, TableInfo destination, double averageItemBytes, int processorCount,
        RateMode? rate = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        return PlanWrite(write.Ratio, write.UnitsPerSecond, write.MaxWriteThreads, destination, averageItemBytes, rate ?? write.Rate, processorCount);
    }

    /// <summary>An on-demand table's default throughput quota per table (read or write units per second).</summary>
    public const double OnDemandTableQuota = 40_000;

    /// <summary>
    /// The ceiling of an adaptive rate, or null for a fixed one: with an absolute budget, that budget; for an on-demand
    /// table, its maximum throughput when set, else the default table quota; for a provisioned table (--rate adaptive),
    /// the planned budget. Divided among the sections.
    /// </summary>
    public static double? AdaptiveCeiling(RateMode mode, TableInfo table, double? absolute, long? onDemandMax, double planned, int sections)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (mode == RateMode.Fixed || (mode == RateMode.Auto && !table.IsOnDemand))
        {
            return null;
        }

        var ceiling = absolute ?? (table.IsOnDemand ? onDemandMax ?? OnDemandTableQuota : planned * sections);
        return Math.Max(planned, ceiling / Math.Max(1, sections));
    }

    /// <summary>The items of the batches in flight may hold at most this much memory.</summary>
    public const long InFlightBytes = 32L << 20;

    /// <summary>The most batches in flight when --maxWriteThreads is not given: what <see cref="InFlightBytes"/> holds, between 16 and 256.</summary>
    public static int MaxInFlight(int batchItems, double averageItemBytes) =>
        (int)Math.Clamp(InFlightBytes / (Math.Max(1, batchItems) * Math.Max(100, averageItemBytes)), 16, 256);

    /// <summary>Concurrent writers when --maxWriteThreads is not given: 8 per core, between 8 and 64.</summary>
    public static int DefaultWriters(int processorCount) => Math.Clamp(processorCount * 8, 8, 64);

    /// <summary>The whole job's write budget, why, and how writes are costed.</summary>
    public static (double Units, string Reason, WriteCostModel Cost) WriteBudget(double writeRatio, double? writeUnitsPerSecond, TableInfo destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var indexNote = destination.GlobalSecondaryIndexes.Count == 0 ? "" : " (index writes included)";
        if (writeUnitsPerSecond is { } absolute)
        {
            return (absolute, Invariant($"--writeCapacityUnits {absolute}{indexNote}"), WriteCostModel.Total(destination));
        }

        if (!destination.IsOnDemand)
        {
            var lowest = destination.GlobalSecondaryIndexes.Count == 0
                ? ""
                : Invariant($"; each of its {destination.GlobalSecondaryIndexes.Count} global indexes kept within the same ratio of its own WCU");
            return (writeRatio * destination.WriteCapacityUnits,
                Invariant($"--writeThroughputRatio {writeRatio} x {destination.WriteCapacityUnits} provisioned WCU of {destination.Name}{lowest}"),
                WriteCostModel.PerResource(destination));
        }

        var basis = destination.OnDemandMaxWriteUnits ?? OnDemandDefaultWriteUnits;
        var why = destination.OnDemandMaxWriteUnits is null
            ? "the write rate a new on-demand table serves at once"
            : "the table's on-demand maximum write rate";
        return (writeRatio * basis,
            Invariant($"{destination.Name} is PAY_PER_REQUEST and no --writeCapacityUnits was given: --writeThroughputRatio {writeRatio} x {basis} WCU ({why}){indexNote}"),
            WriteCostModel.Total(destination));
    }

    private static int TotalSegments(ReadRequest s, TableInfo source, double jobReadUnits)
    {
        int segments;
        if (s.Segments is { } chosen)
        {
            segments = chosen;
        }
        else
        {
            var bySize = (int)Math.Min(MaxAutoSegments, (source.SizeBytes + BytesPerSegment - 1) / BytesPerSegment);
            var byRate = (int)Math.Min(MaxAutoSegments, Math.Ceiling(jobReadUnits / ReadUnitsPerSegment));
            var floor = source.ItemCount > 1000 ? 4 : 1;
            segments = Math.Clamp(Math.Max(bySize, byRate), floor, MaxAutoSegments);
        }

        // Every section gets the same number of segments.
        var sections = s.TotalSections;
        return (segments + sections - 1) / sections * sections;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
