using System.Threading.Channels;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using Polly;
using DdbCopy.Core.Engine;

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
    Engine.Checkpoints.SettleLedger? ledger = null,
    IRateFeedback? feedback = null)
{
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
        var estimate = plan.EstimatedPageUnits;
        do
        {
            if (scanStop.IsCancellationRequested)
            {
                return false;
            }

            ScanPage page;
            try
            {
                page = await ReadPageAsync(segment, startKey, estimate, scanStop);
            }
            catch (OperationCanceledException) when (scanStop.IsCancellationRequested)
            {
                return false;
            }

            // An item counts as scanned once it is queued for writing: from then on it is written or dead-lettered.
            counters.AddReadUnits(page.ConsumedUnits);
            var ticket = ledger?.Open(Engine.Checkpoints.LanePosition.AfterPage(segment, page.LastEvaluatedKey));
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

            estimate = Math.Max(0.5, page.ConsumedUnits);
            startKey = page.LastEvaluatedKey;
        }
        while (startKey is not null);

        return true;
    }

    private async Task<ScanPage> ReadPageAsync(int segment, Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>? startKey,
        double estimate, CancellationToken cancellationToken)
    {
        try
        {
            // A server that reports no consumed capacity is charged the estimate, never nothing.
            double Actual(ScanPage page) => page.ConsumedUnits > 0 || page.Items.Count == 0 ? page.ConsumedUnits : estimate;
            var page = await retry.ExecuteAsync(async ct => await readBudget.SendAsync(estimate,
                c => source.ScanAsync(segment, plan.TotalSegments, startKey, plan.ScanPageLimit, c), p => (Actual(p), 0.0), feedback, ct), cancellationToken);
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
