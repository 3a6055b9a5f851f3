using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Engine.Checkpoints;
using DdbCopy.Core.Engine;

namespace DdbCopy.Core.Sources;

/// <summary>How a source that reads records (files, a database) queues what it read: one ticket per run of items.</summary>
internal static class TicketedQueue
{
    /// <summary>
    /// Queues <paramref name="items"/> as one ticket that ends at <paramref name="position"/> (where the lane stands once
    /// they, and the <paramref name="rejected"/> records among them, are settled), then clears the lists. The
    /// <paramref name="filtered"/> records among them were read and left out on purpose (counted as scanned and filtered).
    /// </summary>
    public static async Task QueueAsync(SourceContext context, LanePosition position, List<Dictionary<string, AttributeValue>> items, List<ItemOrigin> origins,
        int rejected, int filtered = 0)
    {
        var ticket = context.Ledger?.Open(position);
        ticket?.AddRejected(rejected);
        if (filtered > 0)
        {
            ticket?.AddFilteredByScan(filtered);
            context.Counters.AddScanned(filtered, 0);
            context.Counters.AddFiltered(filtered);
        }

        foreach (var batch in BatchSplitter.Split(items, context.BatchItems, origins: origins))
        {
            ticket?.AddBatch(batch.Count);
            await context.Output.WriteAsync(batch with { Ticket = ticket }, context.Abort);
            context.Counters.AddScanned(batch.Count, 0);
        }

        ticket?.Seal();
        items.Clear();
        origins.Clear();
    }
}
