using System.Threading.Channels;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using Polly;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Engine.Checkpoints;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Sources.DynamoDb;

/// <summary>Scans one segment page by page, paying the read budget before each page, and pushes batches into the channel.</summary>
internal sealed class SegmentScanner(
    IScanPageReader source,
    string tableName,
    ReadPlan plan,
    CapacityBucket readBudget,
    ResiliencePipeline retry,
    ChannelWriter<WriteBatch> output,
    TransferCounters counters,
    int batchItems = BatchSplitter.MaxItemsPerBatch,
    SettleLedger? ledger = null,
    IRateFeedback? feedback = null,
    InFlightSizer? lanes = null,
    TimeProvider? timeProvider = null)
{
    private volatile string[]? _keyNames;

    private TimeProvider Clock => timeProvider ?? TimeProvider.System;

    /// <summary>Scans one segment to its end, from where the ledger says it stands (its start without one).</summary>
    /// <param name="scanStop">Stops reading new pages (graceful stop, or the scan is no longer wanted).</param>
    /// <param name="abort">Stops everything, including handing over a page already read.</param>
    /// <returns>True when the segment was read to its end; false when <paramref name="scanStop"/> cut it short.</returns>
    public async Task<bool> RunSegmentAsync(int segment, CancellationToken scanStop, CancellationToken abort)
    {
        var position = ledger?.PositionOf(segment);
        if (position is { Done: true })
        {
            return true; // settled by an earlier run
        }

        var startKey = position?.LastKey;
        LearnKeyNames(startKey);
        var estimate = plan.EstimatedPageUnits;
        do
        {
            if (scanStop.IsCancellationRequested)
            {
                return false;
            }

            // A place among the segments read at once, held until the page is queued: that bounds the pages in memory.
            ConcurrencyGate.Place? place = null;
            ScanPage page;
            try
            {
                place = lanes is null ? null : await lanes.Gate.EnterAsync(scanStop);
                page = await ReadPageAsync(segment, startKey, estimate, scanStop);
            }
            catch (OperationCanceledException) when (scanStop.IsCancellationRequested)
            {
                place?.Dispose();
                return false;
            }
            catch
            {
                place?.Dispose();
                throw;
            }

            using var held = place;

            // An item counts as scanned once it is queued for writing: from then on it is written or dead-lettered.
            counters.AddReadUnits(page.ConsumedUnits);
            LearnKeyNames(page.LastEvaluatedKey);
            if (ledger is not null && page.Filtered == 0 && _keyNames is { } names)
            {
                await QueueSettlingByBatchAsync(segment, page, names, abort);
            }
            else
            {
                await QueuePageAsync(segment, page, abort);
            }

            estimate = Math.Max(0.5, page.ConsumedUnits);
            startKey = page.LastEvaluatedKey;
        }
        while (startKey is not null);

        return true;
    }

    /// <summary>The page settles as a whole: the lane moves past it once all its batches are written.</summary>
    private async Task QueuePageAsync(int segment, ScanPage page, CancellationToken abort)
    {
        var ticket = ledger?.Open(LanePosition.AfterPage(segment, page.LastEvaluatedKey));
        if (page.Filtered > 0)
        {
            ticket?.AddFilteredByScan(page.Filtered);
            counters.AddScanned(page.Filtered, 0);
            counters.AddFiltered(page.Filtered);
        }

        foreach (var batch in BatchSplitter.Split(page.Items, batchItems))
        {
            ticket?.AddBatch(batch.Count);
            await output.WriteAsync(batch with { Ticket = ticket }, abort);
            counters.AddScanned(batch.Count, 0);
        }

        ticket?.Seal();
    }

    /// <summary>
    /// Every batch settles on its own, and the lane moves past its last item once it and every batch before it are
    /// written: a Scan continues after any item's key, so a run killed mid-page reads again only what was queued or in
    /// flight, not the whole page. Used when the Scan's filter left nothing out of the page (its count is the page's).
    /// </summary>
    private async Task QueueSettlingByBatchAsync(int segment, ScanPage page, IReadOnlyList<string> keyNames, CancellationToken abort)
    {
        var batches = BatchSplitter.Split(page.Items, batchItems).ToList();
        for (var i = 0; i < batches.Count; i++)
        {
            var batch = batches[i];
            var end = i == batches.Count - 1 ? LanePosition.AfterPage(segment, page.LastEvaluatedKey) : AfterItem(segment, batch.Items[^1], keyNames);
            if (end is null)
            {
                await QueuePageAsync(segment, page with { Items = batches.Skip(i).SelectMany(b => b.Items).ToList() }, abort);
                return;
            }

            var ticket = ledger!.Open(end);
            ticket.AddBatch(batch.Count);
            ticket.Seal();
            await output.WriteAsync(batch with { Ticket = ticket }, abort);
            counters.AddScanned(batch.Count, 0);
        }

        if (batches.Count == 0)
        {
            ledger!.Open(LanePosition.AfterPage(segment, page.LastEvaluatedKey)).Seal();
        }
    }

    /// <summary>The position after <paramref name="item"/>, or null when it lacks a key attribute (a projection left it out).</summary>
    private static LanePosition? AfterItem(int segment, Dictionary<string, AttributeValue> item, IReadOnlyList<string> keyNames)
    {
        var key = new Dictionary<string, AttributeValue>(keyNames.Count, StringComparer.Ordinal);
        foreach (var name in keyNames)
        {
            if (!item.TryGetValue(name, out var value))
            {
                return null;
            }

            key[name] = value;
        }

        return LanePosition.AfterPage(segment, key);
    }

    /// <summary>The table's key attributes are the ones a Scan names in the key it continues from.</summary>
    private void LearnKeyNames(Dictionary<string, AttributeValue>? key)
    {
        if (_keyNames is null && key is { Count: > 0 })
        {
            _keyNames = key.Keys.ToArray();
        }
    }

    private async Task<ScanPage> ReadPageAsync(int segment, Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>? startKey,
        double estimate, CancellationToken cancellationToken)
    {
        try
        {
            // A server that reports no consumed capacity is charged the estimate, never nothing.
            double Actual(ScanPage page) => page.ConsumedUnits > 0 || page.Items.Count == 0 ? page.ConsumedUnits : estimate;
            async Task<ScanPage> TimedAsync(CancellationToken c)
            {
                var sent = Clock.GetTimestamp();
                var answer = await source.ScanAsync(segment, plan.TotalSegments, startKey, plan.ScanPageLimit, c);
                lanes?.Observe(Clock.GetElapsedTime(sent), Actual(answer));
                return answer;
            }

            var page = await retry.ExecuteAsync(async ct => await readBudget.SendAsync(estimate, TimedAsync, p => (Actual(p), 0.0), feedback, ct),
                cancellationToken);
            return page with { ConsumedUnits = Actual(page) };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var what = ErrorClassifier.Classify(ex) == ErrorClass.Fatal ? "failed" : "kept failing after every retry";
            throw new DdbCopyException(FailureKind.CopyFailed,
                $"Scan of source table '{tableName}' (segment {segment} of {plan.TotalSegments}) {what}: {ErrorText.Describe(ex)}", ex);
        }
    }
}
