using System.Threading.Channels;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Items;

namespace DdbCopy.Core.Shaping;

/// <summary>
/// Stands between a source and the write queue: shapes every batch the source writes (<see cref="ItemShaper"/>),
/// counts what the filter left out and what was rejected, in the job's counters and the batch's ticket, and queues
/// what remains. A batch left empty settles its ticket at once.
/// </summary>
internal sealed class ShapingWriter(ChannelWriter<WriteBatch> inner, ItemShaper shaper, ShapeRejects rejects, TransferCounters counters)
    : ChannelWriter<WriteBatch>
{
    /// <summary>Shaping changes items in place, so a batch is only ever written once, by <see cref="WriteAsync"/>.</summary>
    public override bool TryWrite(WriteBatch item) => throw new NotSupportedException("Batches are shaped by WriteAsync only.");

    public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) => inner.WaitToWriteAsync(cancellationToken);

    public override bool TryComplete(Exception? error = null) => inner.TryComplete(error);

    public override async ValueTask WriteAsync(WriteBatch item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var shaped = Shape(item);
        if (shaped.Count == 0)
        {
            item.Ticket?.Settle(new TransferCounters());
            return;
        }

        await inner.WriteAsync(shaped, cancellationToken);
    }

    private WriteBatch Shape(WriteBatch batch)
    {
        var items = new List<Dictionary<string, AttributeValue>>(batch.Count);
        var sizes = new List<int>(batch.Count);
        var origins = batch.Origins is null ? null : new List<ItemOrigin>(batch.Count);
        var (filtered, rejected) = (0, 0);
        for (var i = 0; i < batch.Count; i++)
        {
            var item = shaper.Shape(batch.Items[i], out var refused);
            if (item is null)
            {
                filtered++;
            }
            else if (refused is not null)
            {
                rejects.Reject(item, batch.OriginOf(i), refused);
                rejected++;
            }
            else
            {
                items.Add(item);
                sizes.Add(shaper.ChangesItems ? ItemSize.Of(item) : batch.Sizes[i]);
                origins?.Add(batch.Origins![i]);
            }
        }

        counters.AddFiltered(filtered);
        counters.MoveToRejected(rejected);
        batch.Ticket?.AddShaped(filtered, rejected);
        return new WriteBatch(items, sizes, origins) { Ticket = batch.Ticket };
    }
}
