using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Copying;
using DdbCopy.Core.Errors;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Importing;

/// <summary>Builds and runs an import: a file of items written through the same throttled, retried, dead-lettered writers as a copy.</summary>
public sealed class ImportRunner(ILoggerFactory loggerFactory, TimeProvider timeProvider)
{
    public async Task<CopySummary> RunAsync(ImportSettings settings, ICopyObserver? observer, CopyStopSignals stop)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(stop);
        if (!File.Exists(settings.From))
        {
            throw new DdbCopyException(FailureKind.Environment, $"The file {settings.From} does not exist.");
        }

        var logger = loggerFactory.CreateLogger("ddbcopy");
        using var client = DynamoDbClientFactory.Create(settings.Destination, "destination");
        var destination = await CopyPreflight.DescribeTableAsync(client, settings.DestinationTable, "destination", settings.Destination, timeProvider, stop.Hard);
        Log.DestinationTable(logger, destination.Name, settings.Destination.ToString(), destination.BillingModeName, destination.GlobalSecondaryIndexes.Count);

        var (units, reason, cost) = CapacityPlanner.WriteBudget(settings.WriteRatio, settings.WriteUnitsPerSecond, destination);
        var plan = new WritePlan(units, cost, settings.MaxWriteThreads ?? CapacityPlanner.DefaultWriters(Environment.ProcessorCount));
        Log.WriteRate(logger, units, reason);

        var options = new CopyJobOptions { SourceTable = settings.From, DestinationTable = settings.DestinationTable, MaxRetries = settings.MaxRetries };
        await using var deadLetters = new DeadLetterFile(settings.DeadLetterFile ?? DeadLetterFile.DefaultPath(settings.DestinationTable, timeProvider.GetUtcNow()));
        var job = new CopyJob(new JsonLinesProducer(settings.From, destination.Key, logger),
            new DynamoDbBatchWriteTarget(client, settings.DestinationTable), plan, options, deadLetters, timeProvider, logger, observer);
        return await job.RunAsync(stop);
    }
}
