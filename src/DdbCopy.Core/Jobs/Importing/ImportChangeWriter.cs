using Amazon.DynamoDBv2;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Sinks.Changes;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Jobs.Importing;

/// <summary>
/// The writer of an import's changes after its load (the deletes of soft-deleted rows, the binary log's puts and
/// deletes): in order per key, each paying the import's write budget (the destination's, adaptive on an on-demand
/// table), retried, and dead-lettered when it cannot be written.
/// </summary>
internal sealed class ImportChangeWriter : IDisposable
{
    private readonly CapacityBucket _budget;
    private readonly AdaptiveRate? _adaptive;

    private ImportChangeWriter(CapacityBucket budget, AdaptiveRate? adaptive, ChangeWriter writer, ChangeBatchWriter batches)
    {
        (_budget, _adaptive, Writer, Batches) = (budget, adaptive, writer, batches);
    }

    /// <summary>One change at a time (PutItem, DeleteItem).</summary>
    public ChangeWriter Writer { get; }

    /// <summary>Up to 25 changes of distinct keys at a time (BatchWriteItem), through the same budget, retries and dead letters.</summary>
    public ChangeBatchWriter Batches { get; }

    public static async Task<ImportChangeWriter> OpenAsync(ImportSettings settings, IAmazonDynamoDB client, DeadLetterFile deadLetters, FollowCounters counters,
        TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken)
    {
        var destination = await TableDescriber.DescribeTableAsync(client, settings.DestinationTable, "destination", settings.Destination, timeProvider, cancellationToken);
        var (writes, _) = CapacityPlanner.PlanWrite(settings.Write, destination, CapacityPlanner.AverageItemBytes(destination), Environment.ProcessorCount);
        var budget = new CapacityBucket(writes.WriteUnitsPerSecond, timeProvider);
        var adaptive = writes.AdaptiveCeiling is { } ceiling ? new AdaptiveRate(budget, ceiling, "write", "WCU", timeProvider, logger) : null;
        var retry = RetryPipelines.Create(settings.MaxRetries, timeProvider, c => counters.AddRetry(c == ErrorClass.Throttled));
        var writer = new ChangeWriter(new DynamoDbChangeTarget(client, settings.DestinationTable, conflictAttribute: null), budget, writes.WriteCost, retry,
            settings.MaxRetries, deadLetters, counters, logger, adaptive);
        var batches = new ChangeBatchWriter(client, settings.DestinationTable, budget, writes.WriteCost, retry, settings.MaxRetries, writer, deadLetters, counters,
            timeProvider, logger, adaptive);
        return new ImportChangeWriter(budget, adaptive, writer, batches);
    }

    public void Dispose()
    {
        _adaptive?.Dispose();
        _budget.Dispose();
    }
}
