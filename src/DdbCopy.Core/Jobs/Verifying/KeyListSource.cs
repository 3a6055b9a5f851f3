using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Engine;

namespace DdbCopy.Core.Jobs.Verifying;

/// <summary>Feeds keys (the extras of a diff file, to delete) to the engine in batches.</summary>
public sealed class KeyListSource(IEnumerable<Dictionary<string, AttributeValue>> keys) : IItemSource
{
    public async Task<bool> ProduceAsync(SourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var pending = new List<Dictionary<string, AttributeValue>>(BatchSplitter.MaxItemsPerBatch);
        foreach (var key in keys)
        {
            if (context.Stop.IsCancellationRequested)
            {
                return false;
            }

            pending.Add(key);
            if (pending.Count == Math.Min(context.BatchItems, BatchSplitter.MaxItemsPerBatch))
            {
                await QueueAsync(pending, context);
                pending = new List<Dictionary<string, AttributeValue>>(BatchSplitter.MaxItemsPerBatch);
            }
        }

        if (pending.Count > 0)
        {
            await QueueAsync(pending, context);
        }

        return true;
    }

    private static async Task QueueAsync(List<Dictionary<string, AttributeValue>> keys, SourceContext context)
    {
        foreach (var batch in BatchSplitter.Split(keys, context.BatchItems))
        {
            await context.Output.WriteAsync(batch, context.Abort);
            context.Counters.AddScanned(batch.Count, 0);
        }
    }
}
