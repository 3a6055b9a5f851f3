using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Items;
using Microsoft.Extensions.Logging;
using Polly;
using WriteRequest = Amazon.DynamoDBv2.Model.WriteRequest;

namespace DdbCopy.Core.Sinks.Changes;

/// <summary>
/// Writes up to 25 changes of distinct keys in one BatchWriteItem (puts and deletes together), for a follower that
/// applies many changes without conditions: pays the budget before each attempt, writes again what came back as
/// UnprocessedItems (at once when the rate adapts, after a backoff when it is fixed), and retries throttled and failed
/// requests. A batch DynamoDB refuses as a whole for one bad item is written change by change through the
/// <see cref="ChangeWriter"/>, so only that one is dead-lettered; changes still unwritten after every retry are
/// dead-lettered (deletes as {"Delete":...} lines) and counted.
/// </summary>
public sealed class ChangeBatchWriter(
    IAmazonDynamoDB client,
    string tableName,
    CapacityBucket budget,
    WriteCostModel cost,
    ResiliencePipeline retry,
    int maxRetries,
    ChangeWriter single,
    DeadLetterFile deadLetters,
    FollowCounters counters,
    TimeProvider timeProvider,
    ILogger logger,
    IRateFeedback? feedback = null)
{
    /// <param name="changes">At most 25, no two of one key (their order does not matter).</param>
    public async Task ApplyAsync(IReadOnlyList<ChangeRecord> changes, CancellationToken abort)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 1)
        {
            await single.ApplyAsync(changes[0], abort);
            return;
        }

        var remaining = changes.ToList();
        var rounds = 0;
        try
        {
            while (remaining.Count > 0)
            {
                var left = await retry.ExecuteAsync(ct => SendAsync(remaining, ct), abort);
                if (left.Count == 0)
                {
                    return;
                }

                counters.AddRetry(throttled: true);
                remaining = left;
                if (feedback is null)
                {
                    await Task.Delay(RetryPipelines.Backoff(rounds++), timeProvider, abort);
                }
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ErrorClassifier.IsItemRefusal(ex))
        {
            foreach (var change in remaining)
            {
                await single.ApplyAsync(change, abort); // one at a time: only the refused one is dead-lettered
            }
        }
        catch (Exception ex) when (ErrorClassifier.IsRetryable(ex, abort))
        {
            var reason = ErrorText.Describe(ex);
            Log.WriteGaveUp(logger, remaining.Count, maxRetries, reason);
            foreach (var change in remaining)
            {
                if (change.IsRemove)
                {
                    await deadLetters.WriteDeleteAsync(change.Keys, reason);
                }
                else
                {
                    await deadLetters.WriteRefusedAsync(change.NewImage ?? change.Keys, reason);
                }

                counters.AddDeadLettered(change.Created);
            }
        }
        catch (Exception ex) when (ex is not DdbCopyException)
        {
            throw new DdbCopyException(FailureKind.CopyFailed, $"Applying changes to the destination failed: {ErrorText.Describe(ex)}", ex);
        }
    }

    /// <summary>One attempt; what came back unprocessed (throws when nothing at all was written, so the retry backs off).</summary>
    private async ValueTask<List<ChangeRecord>> SendAsync(List<ChangeRecord> changes, CancellationToken cancellationToken)
    {
        var items = changes.Select(c => c.IsRemove ? c.Keys : c.NewImage ?? c.Keys).ToList();
        var estimate = cost.Estimate(items, items.Select(ItemSize.Of).ToList());
        var request = new BatchWriteItemRequest
        {
            RequestItems = new Dictionary<string, List<WriteRequest>>
            {
                [tableName] = changes.Select(c => c.IsRemove
                    ? new WriteRequest { DeleteRequest = new DeleteRequest { Key = c.Keys } }
                    : new WriteRequest { PutRequest = new PutRequest { Item = c.NewImage ?? c.Keys } }).ToList(),
            },
            ReturnConsumedCapacity = ReturnConsumedCapacity.INDEXES,
        };
        var left = new List<ChangeRecord>();
        double Actual(BatchWriteItemResponse r) => r.ConsumedCapacity is { Count: > 0 } consumed ? cost.Actual(consumed) : estimate;
        var response = await budget.SendAsync(estimate, c => client.BatchWriteItemAsync(request, c), r =>
        {
            left = Unprocessed(changes, r);
            return (Actual(r), estimate * left.Count / changes.Count);
        }, feedback, cancellationToken);
        counters.AddWriteUnits(response.ConsumedCapacity is { Count: > 0 } c ? c.Sum(x => x.CapacityUnits ?? 0) : Actual(response));
        var done = changes.Except(left).ToList();
        foreach (var change in done)
        {
            counters.AddApplied(true, change.Created);
        }

        return left.Count == 0 || done.Count > 0 ? left : throw new UnprocessedItemsException($"{left.Count} changes were returned as UnprocessedItems (throttled)");
    }

    /// <summary>The changes an answer left unprocessed, matched by their keys.</summary>
    private List<ChangeRecord> Unprocessed(List<ChangeRecord> changes, BatchWriteItemResponse response)
    {
        if (response.UnprocessedItems is null || !response.UnprocessedItems.TryGetValue(tableName, out var requests) || requests.Count == 0)
        {
            return [];
        }

        var keyNames = changes[0].Keys.Keys.ToList();
        var unprocessed = requests.Select(r => ChangeRecord.KeyText(r.DeleteRequest?.Key
                ?? keyNames.Where(k => r.PutRequest.Item.ContainsKey(k)).ToDictionary(k => k, k => r.PutRequest.Item[k], StringComparer.Ordinal)))
            .ToHashSet(StringComparer.Ordinal);
        return changes.Where(c => unprocessed.Contains(ChangeRecord.KeyText(c.Keys))).ToList();
    }
}
