using System.Collections.Concurrent;
using System.Threading.Channels;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Engine;
using Microsoft.Extensions.Logging.Abstractions;

namespace DdbCopy.Tests.Conformance;

/// <summary>What every source and sink of the suite is run with: the transfer engine, items keyed pk = k0, k1, ...</summary>
internal static class ConformanceHarness
{
    public static readonly TransferOptions Options = new()
    {
        SourceTable = "conformance", DestinationTable = "conformance", RetryBaseDelay = TimeSpan.FromMilliseconds(1), RetryMaxDelay = TimeSpan.FromMilliseconds(5),
    };

    public static Dictionary<string, AttributeValue> Item(int i) => new()
    {
        ["pk"] = new AttributeValue { S = $"k{i}" },
        ["n"] = new AttributeValue { N = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        ["payload"] = new AttributeValue { S = new string('x', 200) },
    };

    public static IEnumerable<string> Keys(int count) => Enumerable.Range(0, count).Select(i => $"k{i}");

    public static Task<TransferSummary> RunAsync(IItemSource source, IBatchSink sink, StopSignals stop) =>
        new TransferJob(source, sink, Options, TimeProvider.System, NullLogger.Instance).RunAsync(stop);
}

/// <summary>A sink that keeps the keys it is given (a source's half of the suite), and can ask for a stop after N batches.</summary>
internal sealed class RecordingSink(int stopAfterBatches = 0, Action? stop = null) : IBatchSink
{
    private TransferCounters? _counters;
    private int _batches;

    public ConcurrentBag<string> Keys { get; } = [];

    public int Workers => 2;

    public int QueueCapacity => 4;

    public int BatchItems => 25;

    public string? RecordedPath => null;

    public void Start(SinkContext context) => _counters = context.Counters;

    public IBatchSinkWorker CreateWorker(int index) => new Worker(this);

    public Task SettleQueuedAsync(ChannelReader<WriteBatch> queued) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Record(WriteBatch batch)
    {
        foreach (var item in batch.Items)
        {
            Keys.Add(item["pk"].S);
        }

        var outcome = new TransferCounters();
        outcome.AddWritten(batch.Count);
        _counters!.AddWritten(batch.Count);
        batch.Ticket?.Settle(outcome);
        if (Interlocked.Increment(ref _batches) == stopAfterBatches)
        {
            stop?.Invoke();
        }
    }

    private sealed class Worker(RecordingSink sink) : IBatchSinkWorker
    {
        public async Task WriteAsync(WriteBatch batch, CancellationToken abort)
        {
            await Task.Yield();
            sink.Record(batch);
        }

        public Task FinishAsync(CancellationToken abort) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
