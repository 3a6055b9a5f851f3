using System.Collections.Concurrent;
using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Sinks.DynamoDb;

namespace DdbCopy.Tests.Fakes;

/// <summary>
/// A destination in memory that can throttle whole requests, leave part of a batch unprocessed, refuse some keys
/// forever, or fail fatally. Every decision is deterministic (by request number), so tests are repeatable.
/// </summary>
internal sealed class FakeWriteTarget : IBatchWriteTarget
{
    private int _requests;

    public ConcurrentDictionary<string, int> Written { get; } = new();

    /// <summary>Every Nth request is answered with ProvisionedThroughputExceededException.</summary>
    public int ThrottleEvery { get; init; }

    /// <summary>Every Nth request processes only its first half and returns the rest as UnprocessedItems.</summary>
    public int HalfProcessEvery { get; init; }

    /// <summary>Keys that are always returned as UnprocessedItems (a hot partition that never cools).</summary>
    public Func<string, bool> NeverWrites { get; init; } = _ => false;

    /// <summary>Thrown after this many requests (a deleted table, revoked access).</summary>
    public (int AfterRequests, Exception Error)? FailAfter { get; init; }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Called with each request's number before it is answered (to stop a run part-way).</summary>
    public Action<int>? OnRequest { get; init; }

    public Task<BatchWriteResult> WriteAsync(IReadOnlyList<Dictionary<string, AttributeValue>> items, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var n = Interlocked.Increment(ref _requests);
        OnRequest?.Invoke(n);
        if (FailAfter is { } failure && n > failure.AfterRequests)
        {
            throw failure.Error;
        }

        if (ThrottleEvery > 0 && n % ThrottleEvery == 0)
        {
            throw new ProvisionedThroughputExceededException("Rate exceeded")
            {
                ErrorCode = "ProvisionedThroughputExceededException",
                StatusCode = HttpStatusCode.BadRequest,
            };
        }

        var accepted = HalfProcessEvery > 0 && n % HalfProcessEvery == 0 && items.Count > 1 ? items.Count / 2 : items.Count;
        var unprocessed = new List<Dictionary<string, AttributeValue>>();
        for (var i = 0; i < items.Count; i++)
        {
            var key = items[i]["pk"].S;
            if (i >= accepted || NeverWrites(key))
            {
                unprocessed.Add(items[i]);
                continue;
            }

            Written.AddOrUpdate(key, 1, (_, count) => count + 1);
        }

        var units = items.Count - unprocessed.Count;
        return Task.FromResult(new BatchWriteResult(unprocessed,
            [new ConsumedCapacity { CapacityUnits = units, Table = new Amazon.DynamoDBv2.Model.Capacity { CapacityUnits = units } }]));
    }

    public static AmazonDynamoDBException Fatal(string code) =>
        new($"{code}: simulated") { ErrorCode = code, StatusCode = HttpStatusCode.BadRequest };
}
