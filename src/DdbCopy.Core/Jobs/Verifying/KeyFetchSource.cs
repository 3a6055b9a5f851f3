using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;

namespace DdbCopy.Core.Jobs.Verifying;

/// <summary>
/// Reads the current version of the given keys from a table with BatchGetItem (100 keys a request, within the read
/// budget, unprocessed keys retried with backoff), for a repair: it costs what those items cost to read, not a scan of
/// the whole table. A key no longer in the table is skipped (a second verify then reports it).
/// </summary>
public sealed class KeyFetchSource(
    IAmazonDynamoDB client,
    string tableName,
    IEnumerable<Dictionary<string, AttributeValue>> keys,
    double readUnitsPerSecond,
    bool consistentRead,
    TransferOptions options,
    TimeProvider timeProvider) : IItemSource
{
    private const int KeysPerRequest = 100;

    public async Task<bool> ProduceAsync(SourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var budget = new CapacityBucket(readUnitsPerSecond, timeProvider);
        var retry = RetryPipelines.Create(options.MaxRetries, timeProvider, c => context.OnRetry("BatchGetItem", c), options.RetryBaseDelay, options.RetryMaxDelay);
        foreach (var chunk in keys.Chunk(KeysPerRequest))
        {
            if (context.Stop.IsCancellationRequested)
            {
                return false;
            }

            var items = await FetchAsync(chunk.ToList(), budget, retry, context);
            foreach (var batch in BatchSplitter.Split(items, context.BatchItems))
            {
                await context.Output.WriteAsync(batch, context.Abort);
                context.Counters.AddScanned(batch.Count, 0);
            }
        }

        return true;
    }

    private async Task<List<Dictionary<string, AttributeValue>>> FetchAsync(List<Dictionary<string, AttributeValue>> wanted, CapacityBucket budget,
        Polly.ResiliencePipeline retry, SourceContext context)
    {
        var found = new List<Dictionary<string, AttributeValue>>(wanted.Count);
        var rounds = 0;
        while (wanted.Count > 0)
        {
            var estimate = wanted.Count * (consistentRead ? 1.0 : 0.5);
            BatchGetItemResponse response;
            try
            {
                response = await retry.ExecuteAsync(async ct =>
                {
                    await budget.AcquireAsync(estimate, ct);
                    try
                    {
                        return await client.BatchGetItemAsync(new BatchGetItemRequest
                        {
                            RequestItems = new Dictionary<string, KeysAndAttributes> { [tableName] = new() { Keys = wanted, ConsistentRead = consistentRead } },
                            ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
                        }, ct);
                    }
                    catch
                    {
                        budget.Reconcile(estimate, 0);
                        throw;
                    }
                }, context.Stop);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !context.Stop.IsCancellationRequested)
            {
                throw new DdbCopyException(FailureKind.CopyFailed, $"Reading the items to repair from '{tableName}' failed: {ErrorText.Describe(ex)}", ex);
            }

            var consumed = response.ConsumedCapacity?.Sum(c => c.CapacityUnits ?? 0) ?? estimate;
            budget.Reconcile(estimate, consumed);
            context.Counters.AddReadUnits(consumed);
            if (response.Responses?.TryGetValue(tableName, out var items) == true)
            {
                found.AddRange(items);
            }

            var left = response.UnprocessedKeys?.TryGetValue(tableName, out var rest) == true ? rest.Keys : null;
            var progressed = left is null || left.Count < wanted.Count;
            wanted = left ?? [];
            if (wanted.Count > 0)
            {
                context.OnRetry("BatchGetItem", ErrorClass.Throttled);
                if (!progressed && ++rounds > options.MaxRetries)
                {
                    throw new DdbCopyException(FailureKind.CopyFailed,
                        $"Reading the items to repair from '{tableName}': {wanted.Count} keys stayed unprocessed after {options.MaxRetries} retries.");
                }

                await Task.Delay(RetryPipelines.Backoff(rounds, options.RetryBaseDelay, options.RetryMaxDelay), timeProvider, context.Stop);
            }
        }

        return found;
    }
}
