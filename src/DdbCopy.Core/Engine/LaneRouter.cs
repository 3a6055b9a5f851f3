using System.Threading.Channels;

namespace DdbCopy.Core.Engine;

/// <summary>
/// The write side of one queue per worker: a batch goes to the queue of its lane's worker (lane modulo workers), so
/// every lane's batches reach one worker in the order they were read (see <see cref="IBatchSink.KeepsLaneOrder"/>).
/// </summary>
internal sealed class LaneRouter(IReadOnlyList<Channel<WriteBatch>> queues) : ChannelWriter<WriteBatch>
{
    public override bool TryWrite(WriteBatch item) => QueueOf(item).TryWrite(item);

    public override ValueTask WriteAsync(WriteBatch item, CancellationToken cancellationToken = default) =>
        QueueOf(item).WriteAsync(item, cancellationToken);

    /// <summary>Which queue has room depends on the batch: <see cref="WriteAsync"/> waits for the right one.</summary>
    public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) =>
        queues[0].Writer.WaitToWriteAsync(cancellationToken);

    public override bool TryComplete(Exception? error = null)
    {
        var completed = false;
        foreach (var queue in queues)
        {
            completed |= queue.Writer.TryComplete(error);
        }

        return completed;
    }

    private ChannelWriter<WriteBatch> QueueOf(WriteBatch batch) => queues[(batch.Ticket?.End.Lane ?? 0) % queues.Count].Writer;
}
