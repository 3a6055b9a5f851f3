using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Copying;

/// <summary>The one factory that builds the real pieces of a copy (clients, checks, plan, job) and runs it.</summary>
public sealed class CopyRunner(ILoggerFactory loggerFactory, TimeProvider timeProvider)
{
    public async Task<CopySummary> RunAsync(CopySettings settings, ICopyObserver? observer, CopyStopSignals stop)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(stop);
        var logger = loggerFactory.CreateLogger("ddbcopy");
        Log.Identity(logger, "source", $"{settings.Source.Endpoint}, credentials from {settings.Source.Identity}");
        Log.Identity(logger, "destination", $"{settings.Destination.Endpoint}, credentials from {settings.Destination.Identity}");
        using var sourceClient = DynamoDbClientFactory.Create(settings.Source, "source");
        using var destinationClient = DynamoDbClientFactory.Create(settings.Destination, "destination");

        var created = settings.CreateDestination || settings.RecreateDestination
            ? await DestinationCreator.EnsureAsync(sourceClient, destinationClient, settings, timeProvider, logger, stop.Hard)
            : null;
        try
        {
            return await CheckAndCopyAsync(settings, sourceClient, destinationClient, logger, observer, stop);
        }
        finally
        {
            if (created is not null)
            {
                // The stream is enabled only now, so its consumers do not receive the whole copy as new writes.
                await DestinationCreator.FinishAsync(destinationClient, created, timeProvider, logger);
            }
        }
    }

    private async Task<CopySummary> CheckAndCopyAsync(CopySettings settings, Amazon.DynamoDBv2.IAmazonDynamoDB sourceClient,
        Amazon.DynamoDBv2.IAmazonDynamoDB destinationClient, ILogger logger, ICopyObserver? observer, CopyStopSignals stop)
    {
        var (source, destination) = await CopyPreflight.CheckAsync(sourceClient, destinationClient, settings, timeProvider, stop.Hard);
        Log.SourceTable(logger, source.Name, settings.Source.ToString(), source.BillingModeName, source.ItemCount, source.SizeBytes, source.DescribeKey());
        Log.DestinationTable(logger, destination.Name, settings.Destination.ToString(), destination.BillingModeName, destination.GlobalSecondaryIndexes.Count);

        var boost = new CapacityBoost(destinationClient, timeProvider, logger);
        var original = settings.BoostWriteCapacity is { } wcu
            ? await boost.RaiseAsync(settings.DestinationTable, wcu, stop.Hard)
            : null;
        try
        {
            var planned = original is null ? destination : CapacityBoost.Boosted(destination, settings.BoostWriteCapacity!.Value);
            return await CopyAsync(settings, source, planned, sourceClient, destinationClient, logger, observer, stop);
        }
        finally
        {
            if (original is not null)
            {
                // Even after a failure or Ctrl+C: a boosted table costs money every hour.
                await boost.RestoreAsync(settings.DestinationTable, original);
            }
        }
    }

    private async Task<CopySummary> CopyAsync(CopySettings settings, Schema.TableInfo source, Schema.TableInfo destination,
        Amazon.DynamoDBv2.IAmazonDynamoDB sourceClient, Amazon.DynamoDBv2.IAmazonDynamoDB destinationClient, ILogger logger,
        ICopyObserver? observer, CopyStopSignals stop)
    {
        var plan = CapacityPlanner.Plan(settings, source, destination, Environment.ProcessorCount);
        Log.ReadRate(logger, plan.ReadUnitsPerSecond, plan.ReadRateReason);
        Log.WriteRate(logger, plan.WriteUnitsPerSecond, plan.WriteRateReason);
        Log.Segments(logger, plan.Segments.Count, plan.TotalSegments, plan.WriterCount,
            plan.ScanPageLimit is { } limit ? $", pages of at most {limit} items" : "");
        observer?.PlanReady(plan);

        var options = new CopyJobOptions { SourceTable = settings.SourceTable, DestinationTable = settings.DestinationTable, MaxRetries = settings.MaxRetries };
        await using var deadLetters = new DeadLetterFile(settings.DeadLetterFile ?? DeadLetterFile.DefaultPath(settings.DestinationTable, timeProvider.GetUtcNow()));
        var job = new CopyJob(
            new ScanBatchProducer(new DynamoDbScanSource(sourceClient, settings.SourceTable, settings.ConsistentScan), plan.Read, options, timeProvider),
            new DynamoDbBatchWriteTarget(destinationClient, settings.DestinationTable),
            plan.Write,
            options,
            deadLetters,
            timeProvider,
            logger,
            observer);
        return await job.RunAsync(stop);
    }
}
