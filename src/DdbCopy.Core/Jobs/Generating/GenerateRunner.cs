using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Sinks.DynamoDb;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Jobs.Generating;

/// <summary>
/// Fills a table with generated items, then (optionally) keeps changing it at a rate for a while: puts of new
/// versions and deletes of random items. Writes go through the copy's throttled, retried, dead-lettered writers.
/// </summary>
public sealed class GenerateRunner(ILoggerFactory loggerFactory, TimeProvider timeProvider, IJobClients? clients = null)
{
    private readonly IJobClients _clients = clients ?? new JobClients(timeProvider);

    public async Task<GenerateSummary> RunAsync(GenerateSettings settings, IProgressObserver? observer, StopSignals stop)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(stop);
        var logger = loggerFactory.CreateLogger("ddbcopy");
        var started = timeProvider.GetTimestamp();
        var (client, side) = _clients.OpenDynamoDb(settings.Side, "destination", settings.RequestTimeout, logger);
        using var owner = client;
        var table = await TableDescriber.DescribeTableAsync(client, settings.Table, "destination", side, timeProvider, stop.Hard);
        var seed = settings.Seed ?? Random.Shared.Next();
        Log.Generating(logger, settings.Items, settings.Table, settings.ItemBytes, settings.Rich ? "of every attribute type" : "with a payload", seed);

        var (plan, reason) = CapacityPlanner.PlanWrite(settings.Write, table, settings.ItemBytes,
            Environment.ProcessorCount, RateMode.Fixed);
        var (units, cost, writers) = (plan.WriteUnitsPerSecond, plan.WriteCost, plan.WriterCount);
        Log.WriteRate(logger, units, reason);
        var keyNames = table.Key.Select(k => k.Name).ToList();
        var items = new GeneratedItems(table.Key, settings.ItemBytes, settings.Rich);
        await using var deadLetters = new DeadLetterFile(settings.Write.DeadLetterFile ?? DeadLetterFile.DefaultPath(settings.Table, timeProvider.GetUtcNow()));
        deadLetters.CheckWritable();
        var options = new TransferOptions { SourceTable = "generated items", DestinationTable = settings.Table, MaxRetries = settings.MaxRetries };

        observer?.PlanReady(new ProgressPlan(null, units, settings.Items));
        var fill = await RunAsync(new FillSource(items, settings.Items), new DynamoDbBatchWriteTarget(client, settings.Table, keyNames),
            plan, options, deadLetters, logger, observer, stop);
        var summary = new GenerateSummary
        {
            Items = settings.Items,
            Written = fill.Written,
            DeadLettered = fill.DeadLettered,
            Seed = seed,
            ConsumedWriteCapacity = fill.ConsumedWriteCapacity,
            Interrupted = fill.Interrupted,
            Error = fill.Error,
        };

        var changes = settings.UpdatesPerSecond + settings.DeletesPerSecond;
        if (fill.Complete && settings.Duration > TimeSpan.Zero && changes > 0)
        {
            Log.Churning(logger, settings.UpdatesPerSecond, settings.DeletesPerSecond, settings.Duration.TotalSeconds);
            var random = new Random(seed);
            var version = 0L;
            var share = units / changes; // the write budget, split by rate
            var updating = RunAsync(
                new ChurnSource(items, settings.Items, settings.UpdatesPerSecond, settings.Duration, deletes: false, new Random(random.Next()),
                    () => Interlocked.Increment(ref version), settings.ConflictAttribute, timeProvider),
                new DynamoDbBatchWriteTarget(client, settings.Table, keyNames),
                new WritePlan(Math.Max(1, share * settings.UpdatesPerSecond), cost, writers, BatchSplitter.MaxItemsPerBatch), options, deadLetters, logger, null, stop);
            var deleting = RunAsync(
                new ChurnSource(items, settings.Items, settings.DeletesPerSecond, settings.Duration, deletes: true, new Random(random.Next()),
                    () => 0, null, timeProvider),
                new DynamoDbBatchWriteTarget(client, settings.Table, keyNames, delete: true),
                new WritePlan(Math.Max(1, share * settings.DeletesPerSecond), cost, writers, BatchSplitter.MaxItemsPerBatch), options, deadLetters, logger, null, stop);
            var (updated, deleted) = (await updating, await deleting);
            summary = summary with
            {
                Updated = updated.Written,
                Deleted = deleted.Written,
                DeadLettered = summary.DeadLettered + updated.DeadLettered + deleted.DeadLettered,
                ConsumedWriteCapacity = summary.ConsumedWriteCapacity + updated.ConsumedWriteCapacity + deleted.ConsumedWriteCapacity,
                Interrupted = updated.Interrupted || deleted.Interrupted,
                Error = updated.Error ?? deleted.Error,
            };
        }

        return summary with
        {
            DeadLetterFile = deadLetters.Count > 0 ? deadLetters.Path : null,
            DurationSeconds = Math.Round(timeProvider.GetElapsedTime(started).TotalSeconds, 3),
        };
    }

    private async Task<TransferSummary> RunAsync(IItemSource source, IBatchWriteTarget target, WritePlan plan, TransferOptions options,
        DeadLetterFile deadLetters, ILogger logger, IProgressObserver? observer, StopSignals stop)
    {
        await using var sink = new DynamoDbSink(target, plan, options, deadLetters, timeProvider, logger);
        return await new TransferJob(source, sink, options, timeProvider, logger, observer).RunAsync(stop);
    }
}
