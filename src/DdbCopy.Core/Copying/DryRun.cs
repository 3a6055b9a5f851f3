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
    public async Task<IReadOnlyList<string>> DescribeAsync(CopySettings settings, CancellationToken cancellationToken)
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
                return lines;
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
        }

        return lines;
    }
}
