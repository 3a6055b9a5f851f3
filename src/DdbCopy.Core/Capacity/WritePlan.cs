using DdbCopy.Core.Aws;

namespace DdbCopy.Core.Capacity;

/// <summary>The writing half of a plan: how fast, how writes are costed, how many writers, how many items a batch holds.</summary>
/// <param name="BatchItems">At most this many items per BatchWriteItem, so one request stays a small part of a second's budget.</param>
/// <param name="AdaptiveCeiling">When set, the rate adapts to throttling (see <see cref="AdaptiveRate"/>), never above this; null for a fixed rate.</param>
/// <param name="MaxInFlight">A table sink's cap on batches in flight (it sizes them from the rate and the round trip,
/// see <see cref="InFlightSizer"/>): --maxWriteThreads, or what the memory bound allows; null: <paramref name="WriterCount"/>.</param>
public sealed record WritePlan(double WriteUnitsPerSecond, WriteCostModel WriteCost, int WriterCount, int BatchItems = DynamoDbLimits.BatchWriteItems,
    double? AdaptiveCeiling = null, int? MaxInFlight = null)
{
    /// <summary>The most batches a table sink has in flight.</summary>
    public int InFlightCap => MaxInFlight ?? WriterCount;

    /// <summary>
    /// Batches queued for a table sink: what the rate (its ceiling, when it adapts) writes in a tenth of a second, at
    /// least 4, at most twice <see cref="WriterCount"/>. Items read and queued are what a killed run reads again: the
    /// queue only has to bridge a reader's turn, since readers wait with their next batches in hand.
    /// </summary>
    public int QueueBatches => (int)Math.Clamp(Math.Ceiling((AdaptiveCeiling ?? WriteUnitsPerSecond) / Math.Max(1, BatchItems) * 0.1), 4,
        Math.Max(4, WriterCount * 2));
}
