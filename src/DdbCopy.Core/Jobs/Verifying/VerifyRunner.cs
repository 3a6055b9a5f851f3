using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Items;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Sinks.DynamoDb;
using DdbCopy.Core.Sources.DynamoDb;
using DdbCopy.Core.Sources.Files;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Jobs.Verifying;

/// <summary>
/// Compares a destination table with its source (a table, or an export): both are read in full through the engine
/// (parallel segments, each within its own read budget) into fingerprints spilled to disk, then compared bucket by
/// bucket, so memory stays flat for a table of any size. With --repair the missing and differing items are written
/// from the source (and, with --deleteExtra, the extras deleted) through the copy's throttled writers, and the
/// tables are verified again.
/// </summary>
public sealed class VerifyRunner(ILoggerFactory loggerFactory, TimeProvider timeProvider, IJobClients? clients = null)
{
    private readonly IJobClients _clients = clients ?? new JobClients(timeProvider);

    public async Task<VerifySummary> RunAsync(VerifySettings settings, IProgressObserver? observer, StopSignals stop)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(stop);
        var logger = loggerFactory.CreateLogger("ddbcopy");
        var started = timeProvider.GetTimestamp();
        var (destinationClient, destinationSide) = _clients.OpenDynamoDb(settings.Destination, "destination", settings.RequestTimeout, logger);
        using var destinationOwner = destinationClient;
        IAmazonDynamoDB? sourceClient = null;
        if (settings.SourceTable is not null)
        {
            (sourceClient, var sourceSide) = _clients.OpenDynamoDb(settings.Source, "source", settings.RequestTimeout, logger);
            settings = settings with { Source = sourceSide };
        }

        using var sourceOwner = sourceClient;
        settings = settings with { Destination = destinationSide };
        using var export = settings.From is { } from ? await ImportSource.ResolveAsync(from, settings.S3, stop.Hard) : null;
        var destination = await TableDescriber.DescribeTableAsync(destinationClient, settings.DestinationTable, "destination", settings.Destination,
            timeProvider, stop.Hard);
        var source = sourceClient is null
            ? null
            : await TableDescriber.DescribeTableAsync(sourceClient, settings.SourceTable!, "source", settings.Source, timeProvider, stop.Hard);
        if (source is not null)
        {
            TableDescriber.CheckSameKey(source, destination);
        }

        var diffFile = new DiffFile(settings.DiffFile ?? DiffFile.DefaultPath(settings.SourceTable ?? settings.From!.ToString(), settings.DestinationTable,
            timeProvider.GetUtcNow()));
        diffFile.CheckWritable();
        var sides = new Sides(settings, sourceClient, source, export, destinationClient, destination, logger);
        LogCost(sides, logger);

        var first = await CompareAsync(sides, diffFile, observer, stop);
        var summary = first.Summary;
        if (settings.Repair && first.Complete && summary.Missing + summary.Different + (settings.DeleteExtra ? summary.Extra : 0) > 0)
        {
            var repaired = await RepairAsync(sides, diffFile.Path, summary.Missing + summary.Different, stop);
            using var afterFile = new DiffFile(Path.ChangeExtension(diffFile.Path, null) + "-after-repair.jsonl");
            afterFile.CheckWritable();
            var again = await CompareAsync(sides, afterFile, observer, stop);
            summary = summary with
            {
                Repaired = repaired.Written,
                Deleted = repaired.Deleted,
                RepairFailed = repaired.Failed,
                DeadLetterFile = repaired.DeadLetterFile,
                ConsumedWriteCapacity = repaired.WriteUnits,
                ConsumedSourceReadCapacity = summary.ConsumedSourceReadCapacity + repaired.ReadUnits + again.Summary.ConsumedSourceReadCapacity,
                ConsumedDestinationReadCapacity = summary.ConsumedDestinationReadCapacity + again.Summary.ConsumedDestinationReadCapacity,
                AfterRepair = again.Summary,
                Interrupted = repaired.Interrupted || again.Summary.Interrupted,
                Error = repaired.Error ?? again.Summary.Error,
            };
        }

        diffFile.Dispose();
        return summary with { DurationSeconds = Math.Round(timeProvider.GetElapsedTime(started).TotalSeconds, 3) };
    }

    /// <summary>What a verify reads, and with what.</summary>
    private sealed record Sides(VerifySettings Settings, IAmazonDynamoDB? SourceClient, TableInfo? Source, ImportSource? Export,
        IAmazonDynamoDB DestinationClient, TableInfo Destination, ILogger Logger)
    {
        public IReadOnlyList<string> KeyNames => Destination.Key.Select(k => k.Name).ToList();

        public string SourceName => Settings.SourceTable ?? Export!.Store.Root;

        public ReadPlan Plan(TableInfo table) => CapacityPlanner.PlanRead(
            new ReadRequest(Settings.ReadRatio, Settings.ReadUnitsPerSecond, Settings.Segments, Settings.ConsistentScan), table);

        public TransferOptions Options(string from, string to) =>
            new() { SourceTable = from, DestinationTable = to, MaxRetries = Settings.MaxRetries };
    }

    private sealed record Comparison(VerifySummary Summary, bool Complete);

    private static void LogCost(Sides sides, ILogger logger)
    {
        foreach (var table in new[] { sides.Source, sides.Destination }.OfType<TableInfo>())
        {
            var plan = sides.Plan(table);
            var units = Math.Ceiling(table.SizeBytes / 4096.0) * (sides.Settings.ConsistentScan ? 1.0 : 0.5);
            Log.VerifyReads(logger, table.Name, units, table.ItemCount, plan.ReadUnitsPerSecond, plan.ReadRateReason);
        }
    }

    /// <summary>Reads both sides into fingerprints and compares them, writing the keys that differ.</summary>
    private async Task<Comparison> CompareAsync(Sides sides, DiffFile diffFile, IProgressObserver? observer, StopSignals stop)
    {
        var folder = Directory.CreateTempSubdirectory("ddbcopy-verify-").FullName;
        try
        {
            TransferSummary read;
            TransferSummary written;
            using (var sourceSpill = new FingerprintSpill(folder, "a"))
            using (var destinationSpill = new FingerprintSpill(folder, "b"))
            {
                var destinationPlan = sides.Plan(sides.Destination);
                observer?.PlanReady(new ProgressPlan(destinationPlan.ReadUnitsPerSecond, null,
                    sides.Source?.ItemCount ?? sides.Export?.Summary?.ItemCount));
                var reading = ReadSourceAsync(sides, new FingerprintSink(sourceSpill, sides.KeyNames), folder, observer, stop);
                var destination = new TransferJob(
                    new SegmentedScanSource(new DynamoDbScanPageReader(sides.DestinationClient, sides.Destination.Name, sides.Settings.ConsistentScan),
                        destinationPlan, sides.Options(sides.Destination.Name, "fingerprints"), timeProvider),
                    new FingerprintSink(destinationSpill, sides.KeyNames), sides.Options(sides.Destination.Name, "fingerprints"), timeProvider,
                    sides.Logger);
                var results = await Task.WhenAll(reading, destination.RunAsync(stop));
                (read, written) = (results[0], results[1]);
            }

            var summary = new VerifySummary
            {
                Compared = read.Written,
                DestinationItems = written.Written,
                ConsumedSourceReadCapacity = read.ConsumedReadCapacity,
                ConsumedDestinationReadCapacity = written.ConsumedReadCapacity,
                Interrupted = read.Interrupted || written.Interrupted,
                Error = read.Error ?? written.Error ?? (read.Rejected > 0
                    ? $"{read.Rejected} records of {sides.SourceName} are not items (each is logged with its file and line): it cannot be compared."
                    : null),
            };
            if (!read.Complete || !written.Complete)
            {
                return new Comparison(summary, false);
            }

            long missing = 0, different = 0, extra = 0;
            SpillComparer.Compare(folder, "a", "b", (difference, key) =>
            {
                switch (difference)
                {
                    case Difference.Missing: missing++; break;
                    case Difference.Different: different++; break;
                    default: extra++; break;
                }

                diffFile.Write(difference, key);
            });
            diffFile.Dispose();
            Log.VerifyResult(sides.Logger, summary.Compared, written.Written, missing, different, extra);
            return new Comparison(summary with
            {
                Missing = missing,
                Different = different,
                Extra = extra,
                DiffFile = diffFile.Count > 0 ? diffFile.Path : null,
            }, true);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private Task<TransferSummary> ReadSourceAsync(Sides sides, IBatchSink sink, string folder, IProgressObserver? observer, StopSignals stop,
        Func<Dictionary<string, AttributeValue>, bool>? wanted = null)
    {
        var options = sides.Options(sides.SourceName, "fingerprints");
        IItemSource input;
        if (sides.Source is { } table)
        {
            IScanPageReader pages = new DynamoDbScanPageReader(sides.SourceClient!, table.Name, sides.Settings.ConsistentScan);
            input = new SegmentedScanSource(wanted is null ? pages : new FilteredPageReader(pages, wanted), sides.Plan(table), options, timeProvider);
        }
        else
        {
            var rejects = new RejectFile(Path.Combine(folder, "rejected.jsonl"));
            input = new FileItemSource(sides.Export!, _ => wanted is null ? new JsonLinesReader() : new FilteredItemReader(new JsonLinesReader(), wanted),
                sides.Destination.Key, rejects, failFast: false, sides.Logger);
        }

        return new TransferJob(input, sink, options, timeProvider, sides.Logger, observer).RunAsync(stop);
    }

    private static Func<Dictionary<string, AttributeValue>, bool> Wanted(HashSet<UInt128> keyHashes, IReadOnlyList<string> keyNames) =>
        item => keyHashes.Contains(CanonicalItem.KeyHash(item, keyNames));

    private sealed record RepairOutcome(long Written, long Deleted, long Failed, string? DeadLetterFile, double ReadUnits, double WriteUnits,
        bool Interrupted, string? Error);

    /// <summary>Writes the missing and differing items from the source; deletes the extras with --deleteExtra.</summary>
    /// <param name="toFix">How many items are missing or different.</param>
    private async Task<RepairOutcome> RepairAsync(Sides sides, string diffPath, long toFix, StopSignals stop)
    {
        var settings = sides.Settings;
        var keys = DiffFile.ReadKeys(diffPath, Difference.Missing, Difference.Different);
        Log.Repairing(sides.Logger, toFix, settings.DeleteExtra ? "and deleting the extra items" : "(extra items are left: --deleteExtra deletes them)");
        var (plan, reason) = CapacityPlanner.PlanWrite(settings.Write, sides.Destination,
            CapacityPlanner.AverageItemBytes(sides.Destination), Environment.ProcessorCount, RateMode.Fixed);
        Log.WriteRate(sides.Logger, plan.WriteUnitsPerSecond, reason);
        await using var deadLetters = new DeadLetterFile(settings.Write.DeadLetterFile ?? DeadLetterFile.DefaultPath(settings.DestinationTable, timeProvider.GetUtcNow()));
        var options = sides.Options(sides.SourceName, settings.DestinationTable);
        var folder = Directory.CreateTempSubdirectory("ddbcopy-repair-").FullName;
        try
        {
            TransferSummary written;
            await using (var sink = new DynamoDbSink(new DynamoDbBatchWriteTarget(sides.DestinationClient, settings.DestinationTable, sides.KeyNames), plan,
                             options, deadLetters, timeProvider, sides.Logger))
            {
                // A table is asked for the items by key; an export is read again, keeping only the items' key hashes in memory.
                written = sides.Source is { } table
                    ? await new TransferJob(
                        new KeyFetchSource(sides.SourceClient!, table.Name, keys, sides.Plan(table).ReadUnitsPerSecond, settings.ConsistentScan, options,
                            timeProvider),
                        sink, options, timeProvider, sides.Logger).RunAsync(stop)
                    : await ReadSourceAsync(sides, sink, folder, null, stop, Wanted(keys.Select(k => CanonicalItem.KeyHash(k, sides.KeyNames)).ToHashSet(), sides.KeyNames));
            }

            var deleted = new TransferSummary();
            if (settings.DeleteExtra && written.Complete)
            {
                await using var sink = new DynamoDbSink(new DynamoDbBatchWriteTarget(sides.DestinationClient, settings.DestinationTable, sides.KeyNames, delete: true),
                    plan, options, deadLetters, timeProvider, sides.Logger);
                deleted = await new TransferJob(new KeyListSource(DiffFile.ReadKeys(diffPath, Difference.Extra)), sink, options, timeProvider, sides.Logger)
                    .RunAsync(stop);
            }

            return new RepairOutcome(written.Written, deleted.Written, written.DeadLettered + deleted.DeadLettered,
                deadLetters.Count > 0 ? deadLetters.Path : null, written.ConsumedReadCapacity, written.ConsumedWriteCapacity + deleted.ConsumedWriteCapacity,
                written.Interrupted || deleted.Interrupted, written.Error ?? deleted.Error);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
