using System.Globalization;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Sources.Streams;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Jobs.Copying;

/// <summary>--dryRun: says what a copy would do (create, recreate, capacity, how the definitions differ) and changes nothing.</summary>
public sealed class DryRun(ILoggerFactory loggerFactory, IJobClients? clients = null)
{
    private readonly IJobClients _clients = clients ?? new JobClients(TimeProvider.System);

    public async Task<IReadOnlyList<string>> DescribeAsync(CopySettings settings, CancellationToken cancellationToken) =>
        (await PlanAsync(settings, cancellationToken)).Lines;

    /// <summary>What the copy would do, as lines, and (when it would copy) what it would consume, take and cost.</summary>
    public async Task<DryRunReport> PlanAsync(CopySettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var logger = loggerFactory.CreateLogger("ddbcopy");
        var (sourceClient, sourceSide) = _clients.OpenDynamoDb(settings.Source, "source", settings.RequestTimeout, logger);
        using var sourceOwner = sourceClient;
        var (destinationClient, destinationSide) = _clients.OpenDynamoDb(settings.Destination, "destination", settings.RequestTimeout, logger);
        using var destinationOwner = destinationClient;
        settings = settings with { Source = sourceSide, Destination = destinationSide };
        var lines = new List<string> { "Dry run: nothing is changed." };
        if (settings.IsFollower)
        {
            // The follower scans nothing: it applies the stream with the whole budget once every section ended. Planned as the whole job.
            lines.Add($"The follower of a copy in {settings.TotalSections} sections: reads the source's stream from its oldest record while the sections scan, applies it once every section's checkpoint says it finished.");
            settings = settings with { TotalSections = 1, Section = 0 };
        }

        // The same refusals as the copy itself: a dry run of a copy into its own source says so.
        await CopyPreflight.DescribeBothAsync(sourceClient, destinationClient, settings, TimeProvider.System, cancellationToken);
        await CopyPreflight.CheckFilterAsync(sourceClient, settings, TimeProvider.System, cancellationToken); // what the copy would refuse, the plan refuses

        var wanted = await CopyDefinitions.WantedAsync(sourceClient, settings, logger, cancellationToken);
        var existing = await CopyDefinitions.ReadDestinationAsync(destinationClient, settings, logger, cancellationToken);
        TableDefinition? target;
        if (existing is null)
        {
            target = settings.CreateDestination || settings.RecreateDestination ? wanted : null;
            lines.Add(target is null
                ? $"The destination table '{settings.DestinationTable}' does not exist: the copy would stop (add --createDestination to create it)."
                : $"Would create '{settings.DestinationTable}': {SchemaDiff.Describe(wanted)}");
        }
        else if (settings.RecreateDestination)
        {
            target = existing.DeletionProtection ? null : wanted;
            lines.Add(existing.DeletionProtection
                ? $"Would refuse to delete '{settings.DestinationTable}': deletion protection is on."
                : $"Would delete '{settings.DestinationTable}' and create it again: {SchemaDiff.Describe(wanted)}");
        }
        else
        {
            target = existing;
            var differences = SchemaDiff.Compare(wanted with { TableName = existing.TableName }, existing);
            lines.Add(differences.Count == 0
                ? $"The destination '{settings.DestinationTable}' exists and its definition matches the source's."
                : $"The destination '{settings.DestinationTable}' exists; its definition differs from the source's:");
            lines.AddRange(differences.Select(d => "  " + d));
        }

        if (target is not null)
        {
            var source = await TableDescriber.DescribeTableAsync(sourceClient, settings.SourceTable, "source", settings.Source, TimeProvider.System, cancellationToken);
            var destination = TableInspector.FromDefinition(target);
            try
            {
                CopyPreflight.CheckKeysMatch(source, destination, settings.Shape);
            }
            catch (DdbCopyException ex)
            {
                lines.Add(ex.Message);
                return new DryRunReport(lines, null);
            }

            if (settings.BoostWriteCapacity is { } boost && !destination.IsOnDemand)
            {
                destination = CapacityBoost.Boosted(destination, boost);
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"Would raise the destination's WCU to {boost} for the copy (indexes in proportion) and restore it after."));
            }

            var plan = CapacityPlanner.Plan(settings.ReadRequest, settings.WriteRequest, settings.Rate, source, destination, Environment.ProcessorCount);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"Would read at {plan.ReadUnitsPerSecond:0.##} RCU/s: {plan.ReadRateReason}"));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"Would write at {plan.WriteUnitsPerSecond:0.##} WCU/s: {plan.WriteRateReason}"));
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"Would scan {plan.Segments.Count} of {plan.TotalSegments} segments of {source.ItemCount} items ({source.SizeBytes} bytes) with up to {plan.Write.InFlightCap} writes in flight."));
            var warnings = new List<string>();
            if (settings.BoostWriteCapacity is not null && !destination.IsOnDemand
                && DecreaseQuota.Warning(destination.Name, DateTimeOffset.UtcNow, destination.DecreasesToday) is { } quota)
            {
                warnings.Add(quota);
            }

            var (sourcePrices, destinationPrices, note) = Prices(settings, source, destination);
            var estimate = CopyEstimate.Of(source, destination, plan.ReadUnitsPerSecond, plan.WriteUnitsPerSecond,
                (double)plan.Segments.Count / plan.TotalSegments, settings.ConsistentScan, sourcePrices, destinationPrices, note, warnings);
            lines.AddRange(estimate.Describe());
            lines.AddRange(ScalePlan.Describe(estimate, settings.TotalSections, source.SizeBytes, settings.Follow is not null,
                existing is null || settings.RecreateDestination));
            if (settings.Shape.Any)
            {
                lines.AddRange(await ShapeLinesAsync(settings, sourceClient, source, logger, cancellationToken));
            }

            if (settings.Follow is { } follow)
            {
                lines.AddRange(FollowPlan(settings, follow, source, estimate.Seconds));
            }

            return new DryRunReport(lines, estimate);
        }

        return new DryRunReport(lines, null);
    }

    private static async Task<IReadOnlyList<string>> ShapeLinesAsync(CopySettings settings, Amazon.DynamoDBv2.IAmazonDynamoDB sourceClient, TableInfo source,
        ILogger logger, CancellationToken cancellationToken)
    {
        var lines = Shaping.ShapePreview.Describe(settings.Shape).ToList();
        if (settings.Preview is { } count)
        {
            var items = await Shaping.ShapePreview.FirstItemsAsync(sourceClient, settings.SourceTable, settings.Shape, source.Key.Select(k => k.Name).ToList(),
                count, logger, cancellationToken);
            lines.Add(Invariant($"The first {items.Count} items as they would be written:"));
            lines.AddRange(items);
        }

        return lines;
    }

    /// <summary>
    /// What --follow would do: the stream it reads (or refuses, or enables), the mode (read into the spool from before
    /// the scan, applied after it) and why, how long it follows, and what the changes cost.
    /// </summary>
    public static IReadOnlyList<string> FollowPlan(CopySettings settings, FollowSettings follow, TableInfo source, double scanSeconds)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(follow);
        ArgumentNullException.ThrowIfNull(source);
        var lines = new List<string>();
        try
        {
            lines.Add(FollowPreflight.Check(source, follow)
                ? $"Would follow the source's stream {source.LatestStreamArn} ({source.StreamViewType})."
                : "Would enable the source's stream (NEW_AND_OLD_IMAGES, --enableSourceStream) and follow it.");
        }
        catch (DdbCopyException ex)
        {
            lines.Add("Would stop: " + ex.Message);
            return lines;
        }

        var window = ChangeStreamReader.Retention;
        var spool = follow.SpoolFor(settings.CheckpointFile
            ?? Engine.Checkpoints.CheckpointFile.DefaultPath("copy", settings.SourceTable, settings.DestinationTable, settings.Section, settings.TotalSections));
        lines.Add(follow.FollowOnly
            ? "Mode: no bulk copy (--followOnly): changes recorded from the start are applied as they come."
            : Invariant($"Mode: the stream is read from before the scan starts, concurrently with it, into the spool {spool}; the spooled changes are applied in order per key after the scan (which takes about {Hours(scanSeconds)}), then new ones as they come. ")
                + (scanSeconds >= window.TotalSeconds
                    ? Invariant($"The scan takes longer than the stream keeps records ({window.TotalHours:0} hours): reading the stream only after it would lose changes; read as they come, none is older than that when it is read.")
                    : Invariant($"Reading as they come keeps every change whatever the scan takes; the stream keeps records {window.TotalHours:0} hours.")));
        lines.Add(follow.StopWhenCaughtUp
            ? "Would stop once every change recorded until the scan ended is applied (--stopWhenCaughtUp)."
            : "Would keep following until Ctrl+C (the state is in the checkpoint: --resume goes on from it).");
        lines.Add("Stream reads use no table capacity (DynamoDB Streams bills the GetRecords calls: at most 4 a second per shard); each applied change is a PutItem or DeleteItem from the write budget: 1 WCU per started KB of the item, for the table and each global index it is in"
            + (follow.ConflictAttribute is { } attribute
                ? $", conditional on '{attribute}' being newer than the destination's (a change that loses is not written, but DynamoDB still charges the condition check)."
                : "."));
        return lines;
    }

    private static string Hours(double seconds) =>
        seconds < 3600 ? Invariant($"{Math.Max(1, seconds / 60):0} minutes") : Invariant($"{seconds / 3600:0.#} hours");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The on-demand prices of each side: the flags, else ddbcopy's table for the side's region; and where they came from.</summary>
    private static ((double, double)? Source, (double, double)? Destination, string Note) Prices(CopySettings settings, TableInfo source, TableInfo destination)
    {
        if (!source.IsOnDemand && !destination.IsOnDemand)
        {
            return (null, null, "both tables are provisioned: the copy uses their provisioned capacity, with no per-request cost");
        }

        if (settings.ReadRequestPrice is not null || settings.WriteRequestPrice is not null)
        {
            var given = (settings.ReadRequestPrice ?? 0, settings.WriteRequestPrice ?? 0);
            return (given, given, "at the prices given by --readRequestPrice and --writeRequestPrice");
        }

        (double, double)? Of(SideSpec side) =>
            side.Endpoint.Region is { } region && CopyEstimate.OnDemandPrices.TryGetValue(region, out var price) ? price : null;

        var (s, d) = (Of(settings.Source), Of(settings.Destination));
        var regions = string.Join(" and ", new[] { settings.Source.Endpoint.Region, settings.Destination.Endpoint.Region }.Distinct());
        return s is null && d is null
            ? (null, null, $"no on-demand price for {regions} in ddbcopy's table: pass --readRequestPrice and --writeRequestPrice (USD per million request units)")
            : (s, d, $"us-east-1 on-demand prices of {CopyEstimate.PricesDate}, standard table class; --readRequestPrice/--writeRequestPrice to override");
    }
}

/// <summary>A dry run's lines and, when the copy would run, its estimate.</summary>
public sealed record DryRunReport(IReadOnlyList<string> Lines, CopyEstimate? Estimate);
