using System.Threading.Channels;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Sinks.DynamoDb;

/// <summary>
/// Writes batches into a DynamoDB table with BatchWriteItem: every worker pays into one capacity bucket, throttled and
/// unprocessed items are retried, and whatever is not confirmed written ends in the dead-letter file (items DynamoDB
/// refuses go to <see cref="IRefusedItems"/>), so read = written + dead-lettered.
/// </summary>
public sealed class DynamoDbSink(
    IBatchWriteTarget target,
    WritePlan plan,
    TransferOptions options,
    DeadLetterFile deadLetters,
    TimeProvider timeProvider,
    ILogger logger,
    IRefusedItems? refused = null) : IBatchSink
{
    private CapacityBucket? _budget;
    private AdaptiveRate? _adaptive;
    private InFlightSizer? _inFlight;
    private RateLimitMeter? _limits;
    private BatchWriter? _writer;
    private TransferCounters? _counters;

    /// <summary>The most batches in flight; how many are is sized from the budget and the round trip (<see cref="InFlightSizer"/>).</summary>
    public int Workers => plan.InFlightCap;

    public ConcurrencyGate? Gate => _inFlight?.Gate;

    public RateLimitMeter? RateLimits => _limits;

    public int QueueCapacity => plan.QueueBatches;

    public int BatchItems => plan.BatchItems;

    public string? RecordedPath => deadLetters.Count > 0 ? deadLetters.Path : null;

    public void Start(SinkContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _counters = context.Counters;
        _budget = new CapacityBucket(plan.WriteUnitsPerSecond, timeProvider);
        _adaptive = plan.AdaptiveCeiling is { } ceiling ? new AdaptiveRate(_budget, ceiling, "write", "WCU", timeProvider, logger) : null;
        _inFlight = new InFlightSizer(_budget, Math.Min(4, Workers), Workers, unitsPerRequest: plan.BatchItems, timeProvider);
        _limits = new RateLimitMeter(_inFlight, timeProvider);
        var retry = RetryPipelines.Create(options.MaxRetries, timeProvider, c => context.OnRetry("BatchWriteItem", c), options.RetryBaseDelay,
            options.RetryMaxDelay);
        _writer = new BatchWriter(target, options.DestinationTable, plan.WriteCost, _budget, retry, options.MaxRetries,
            (options.RetryBaseDelay, options.RetryMaxDelay), deadLetters, refused ?? new DeadLetterRefusals(deadLetters, logger), timeProvider,
            context.Counters, logger, _adaptive, _inFlight);
    }

    public IBatchSinkWorker CreateWorker(int index) => new Worker(_writer ?? throw new InvalidOperationException("Start the sink first."));

    public async Task SettleQueuedAsync(ChannelReader<WriteBatch> queued)
    {
        ArgumentNullException.ThrowIfNull(queued);
        while (queued.TryRead(out var batch))
        {
            await deadLetters.WriteAsync(batch.Items);
            _counters!.AddDeadLettered(batch.Count);
        }
    }

    /// <summary>The adaptive write rate's mean and peak, when the rate adapted.</summary>
    public (double Mean, double Peak)? AdaptiveRate => _adaptive is { } a ? (a.Mean, a.Peak) : null;

    public ValueTask DisposeAsync()
    {
        _adaptive?.Dispose();
        _budget?.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class Worker(BatchWriter writer) : IBatchSinkWorker
    {
        public async Task WriteAsync(WriteBatch batch, CancellationToken abort)
        {
            var outcome = await writer.WriteAsync(batch, abort);
            batch.Ticket?.Settle(outcome); // every item written or recorded: the page may count as settled
        }

        public Task FinishAsync(CancellationToken abort) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
