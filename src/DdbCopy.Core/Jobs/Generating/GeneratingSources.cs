using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;

namespace DdbCopy.Core.Jobs.Generating;

/// <summary>Items 0 to N-1 of a generated table, in batches, for the engine to write.</summary>
public sealed class FillSource(GeneratedItems items, long count) : IItemSource
{
    public async Task<bool> ProduceAsync(SourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var size = Math.Min(context.BatchItems, BatchSplitter.MaxItemsPerBatch);
        for (long start = 0; start < count; start += size)
        {
            if (context.Stop.IsCancellationRequested)
            {
                return false;
            }

            var batch = new List<Dictionary<string, AttributeValue>>(size);
            for (var i = start; i < Math.Min(count, start + size); i++)
            {
                batch.Add(items.Item(i));
            }

            foreach (var part in BatchSplitter.Split(batch, size))
            {
                await context.Output.WriteAsync(part, context.Abort);
                context.Counters.AddScanned(part.Count, 0);
            }
        }

        return true;
    }
}

/// <summary>
/// Changes to a generated table at a steady rate for a while: new versions of random items (puts, each with a higher
/// version than any before it, and the time in the conflict attribute when one is named), or the keys of random items
/// to delete. The rate is kept with a token bucket on the job's clock.
/// </summary>
public sealed class ChurnSource(GeneratedItems items, long count, double perSecond, TimeSpan duration, bool deletes, Random random,
    Func<long> nextVersion, string? stampAttribute, TimeProvider timeProvider) : IItemSource
{
    public async Task<bool> ProduceAsync(SourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (perSecond <= 0 || count <= 0)
        {
            return true;
        }

        // About ten batches a second, so the rate is smooth and a batch is never more than a tenth of a second's worth.
        var size = (int)Math.Clamp(Math.Ceiling(perSecond / 10), 1, Math.Min(context.BatchItems, BatchSplitter.MaxItemsPerBatch));
        using var rate = new CapacityBucket(perSecond, timeProvider);
        var started = timeProvider.GetTimestamp();
        while (timeProvider.GetElapsedTime(started) < duration)
        {
            try
            {
                await rate.AcquireAsync(size, context.Stop);
            }
            catch (OperationCanceledException) when (context.Stop.IsCancellationRequested)
            {
                return false;
            }

            if (timeProvider.GetElapsedTime(started) >= duration)
            {
                break;
            }

            var batch = new List<Dictionary<string, AttributeValue>>(size);
            var picked = new HashSet<long>();
            while (batch.Count < size && picked.Count < count)
            {
                var index = random.NextInt64(count);
                if (picked.Add(index)) // one request may not name a key twice
                {
                    batch.Add(deletes ? items.Key(index) : items.Item(index, nextVersion(), stampAttribute, timeProvider.GetUtcNow()));
                }
            }

            await context.Output.WriteAsync(new WriteBatch(batch, batch.Select(Items.ItemSize.Of).ToList()), context.Abort);
            context.Counters.AddScanned(batch.Count, 0);
        }

        return true;
    }
}
