using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Items;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Formats;

namespace DdbCopy.Core.Jobs.Verifying;

/// <summary>
/// The sink of one side of a verify: every item read becomes a fingerprint in the side's spill (counted as written),
/// so the engine's budget, retries, stops and progress read the table, and only the spill holds what was read.
/// </summary>
public sealed class FingerprintSink(FingerprintSpill spill, IReadOnlyList<string> keyNames) : IBatchSink
{
    private readonly FingerprintSpill _spill = spill;
    private readonly IReadOnlyList<string> _keyNames = keyNames;
    private TransferCounters? _counters;

    public int Workers => 2;

    public int QueueCapacity => 8;

    public int BatchItems => int.MaxValue;

    public string? RecordedPath => null;

    public void Start(SinkContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _counters = context.Counters;
    }

    public IBatchSinkWorker CreateWorker(int index) => new Worker(this);

    public Task SettleQueuedAsync(ChannelReader<WriteBatch> queued) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The item's key attributes as DynamoDB JSON (<c>{"pk":{"S":"a"}}</c>).</summary>
    public static byte[] KeyJson(IReadOnlyDictionary<string, AttributeValue> item, IReadOnlyList<string> keyNames)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(keyNames);
        var key = new Dictionary<string, AttributeValue>(keyNames.Count, StringComparer.Ordinal);
        foreach (var name in keyNames)
        {
            if (item.TryGetValue(name, out var value))
            {
                key[name] = value;
            }
        }

        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            DynamoDbJson.WriteItem(writer, key);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private sealed class Worker(FingerprintSink sink) : IBatchSinkWorker
    {
        public Task WriteAsync(WriteBatch batch, CancellationToken abort)
        {
            foreach (var item in batch.Items)
            {
                sink._spill.Add(CanonicalItem.KeyHash(item, sink._keyNames), CanonicalItem.Hash(item), KeyJson(item, sink._keyNames));
            }

            sink._counters!.AddWritten(batch.Count);
            return Task.CompletedTask;
        }

        public Task FinishAsync(CancellationToken abort) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
