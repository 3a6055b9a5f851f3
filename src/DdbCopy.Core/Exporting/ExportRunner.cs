using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Copying;
using DdbCopy.Core.Errors;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Storage;
using Microsoft.Extensions.Logging;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Sinks;
using DdbCopy.Core.Sources;

namespace DdbCopy.Core.Exporting;

/// <summary>
/// Builds and runs an export: checks the target is empty, writes the table's definition beside the data, scans the
/// table into data files, and writes the manifests last, only when every item was exported, so an interrupted or
/// failed export never leaves a manifest that claims completeness.
/// </summary>
public sealed class ExportRunner(ILoggerFactory loggerFactory, TimeProvider timeProvider)
{
    public async Task<TransferSummary> RunAsync(ExportSettings settings, IProgressObserver? observer, StopSignals stop)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(stop);
        var logger = loggerFactory.CreateLogger("ddbcopy");
        var exportTime = timeProvider.GetUtcNow();
        var (client, sourceSide) = DynamoDbClientFactory.Open(settings.Source, "source", settings.RequestTimeout, timeProvider, logger);
        using var clientOwner = client;
        settings = settings with { Source = sourceSide };
        if (settings.To is LocalLocation { Path: var path } && File.Exists(path))
        {
            throw new DdbCopyException(FailureKind.Environment, $"{path} is a file: export into an empty folder (it is created when missing).");
        }

        using var store = FileStores.Open(settings.To, settings.S3, settings.S3PartSizeBytes);
        await CheckEmptyAsync(store, stop.Hard);

        var source = await CopyPreflight.DescribeTableAsync(client, settings.SourceTable, "source", settings.Source, timeProvider, stop.Hard);
        Log.SourceTable(logger, source.Name, settings.Source.ToString(), source.BillingModeName, source.ItemCount, source.SizeBytes, source.DescribeKey());
        TableDefinition definition;
        try
        {
            definition = await TableDefinitionReader.ReadAsync(client, settings.SourceTable, logger, stop.Hard);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DdbCopyException))
        {
            throw new DdbCopyException(FailureKind.Environment,
                $"Cannot read the definition of the source table '{settings.SourceTable}' at {settings.Source}: {ErrorText.Describe(ex)}", ex);
        }

        await WriteAsync(store, ExportManifest.SchemaName, TableDefinitionJson.Serialize(definition), stop.Hard);

        var plan = CapacityPlanner.PlanRead(new ReadRequest(settings.ReadRatio, settings.ReadUnitsPerSecond, settings.Segments, settings.ConsistentScan), source);
        Log.ReadRate(logger, plan.ReadUnitsPerSecond, plan.ReadRateReason);
        Log.Exporting(logger, settings.SourceTable, store.Root, plan.Segments.Count, settings.Compression.ToString().ToLowerInvariant());
        observer?.PlanReady(new ProgressPlan(plan.ReadUnitsPerSecond, null, ProgressPlan.ShareOf(source.ItemCount, plan.Segments.Count, plan.TotalSegments)));

        var options = new TransferOptions { SourceTable = settings.SourceTable, DestinationTable = store.Root, MaxRetries = settings.MaxRetries };
        await using var sink = new ExportFileSink(store,
            new ExportFileOptions { Compression = settings.Compression, MaxFileBytes = settings.MaxFileBytes, WriterCount = Math.Clamp(Environment.ProcessorCount, 1, 4) },
            logger);
        var job = new TransferJob(
            new SegmentedScanSource(new DynamoDbScanPageReader(client, settings.SourceTable, settings.ConsistentScan), plan, options, timeProvider),
            sink,
            options,
            timeProvider,
            logger,
            observer);
        var summary = await job.RunAsync(stop);
        if (!summary.Complete)
        {
            Log.NoManifest(logger, store.Root);
            return summary;
        }

        var files = sink.Files;
        await WriteAsync(store, ExportManifest.FilesName, ExportManifest.WriteFiles(files), CancellationToken.None);
        var s3 = settings.To as S3Location;
        await WriteAsync(store, ExportManifest.SummaryName, ExportManifest.WriteSummary(new ManifestSummary
        {
            StartTime = ManifestSummary.Time(exportTime),
            EndTime = ManifestSummary.Time(timeProvider.GetUtcNow()),
            ExportTime = ManifestSummary.Time(exportTime),
            S3Bucket = s3?.Bucket,
            S3Prefix = s3?.Prefix,
            ManifestFilesS3Key = store.ManifestKey(ExportManifest.FilesName),
            ItemCount = summary.Written,
            Compression = settings.Compression.ToString().ToLowerInvariant(),
        }), CancellationToken.None);
        Log.ManifestWritten(logger, store.Root, files.Count, summary.Written);
        return summary;
    }

    private static async Task CheckEmptyAsync(IFileStore store, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> existing;
        try
        {
            existing = await store.ListAsync("", cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new DdbCopyException(FailureKind.Environment, $"Cannot read {store.Root}: {ErrorText.Describe(ex)}", ex);
        }

        if (existing.Count > 0)
        {
            throw new DdbCopyException(FailureKind.Environment,
                $"{store.Root} is not empty (it holds {existing[0]}{(existing.Count > 1 ? $" and {existing.Count - 1} more" : "")}): export into an empty folder or prefix.");
        }
    }

    private static async Task WriteAsync(IFileStore store, string name, string text, CancellationToken cancellationToken)
    {
        try
        {
            await store.WriteAllTextAsync(name, text, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new DdbCopyException(FailureKind.Environment, $"Cannot write {name} under {store.Root}: {ErrorText.Describe(ex)}", ex);
        }
    }
}
