using System.Globalization;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Errors;
using DdbCopy.Core.Schema;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Copying;

/// <summary>--dryRun: says what a copy would do (create, recreate, capacity, how the definitions differ) and changes nothing.</summary>
public sealed class DryRun(ILoggerFactory loggerFactory)
{
    public async Task<IReadOnlyList<string>> DescribeAsync(CopySettings settings, CancellationToken cancellationToken) =>
        (await PlanAsync(settings, cancellationToken)).Lines;

    /// <summary>What the copy would do, as lines, and (when it would copy) what it would consume, take and cost.</summary>
    public async Task<DryRunReport> PlanAsync(CopySettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var logger = loggerFactory.CreateLogger("ddbcopy");
        var (sourceClient, sourceSide) = DynamoDbClientFactory.Open(settings.Source, "source", settings.RequestTimeout, TimeProvider.System, logger);
        using var sourceOwner = sourceClient;
        var (destinationClient, destinationSide) = DynamoDbClientFactory.Open(settings.Destination, "destination", settings.RequestTimeout,
            TimeProvider.System, logger);
        using var destinationOwner = destinationClient;
        settings = settings with { Source = sourceSide, Destination = destinationSide };
        var lines = new List<string> { "Dry run: nothing is changed." };

        // The same refusals as the copy itself: a dry run of a copy into its own source says so.
        await CopyPreflight.DescribeBothAsync(sourceClient, destinationClient, settings, TimeProvider.System, cancellationToken);

        var wanted = await DestinationCreator.WantedAsync(sourceClient, settings, logger, cancellationToken);
        var existing = await DestinationCreator.ReadDestinationAsync(destinationClient, settings, logger, cancellationToken);
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
            var source = await CopyPreflight.DescribeTableAsync(sourceClient, settings.SourceTable, "source", settings.Source, TimeProvider.System, cancellationToken);
            var destination = TableInspector.FromDefinition(target);
            try
            {
                CopyPreflight.CheckKeysMatch(source, destination);
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

            var plan = CapacityPlanner.Plan(settings, source, destination, Environment.ProcessorCount);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"Would read at {plan.ReadUnitsPerSecond:0.##} RCU/s: {plan.ReadRateReason}"));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"Would write at {plan.WriteUnitsPerSecond:0.##} WCU/s: {plan.WriteRateReason}"));
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"Would scan {plan.Segments.Count} of {plan.TotalSegments} segments of {source.ItemCount} items ({source.SizeBytes} bytes) with {plan.WriterCount} writers."));
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
            return new DryRunReport(lines, estimate);
        }

        return new DryRunReport(lines, null);
    }

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
