using System.Threading.Channels;
using DdbCopy.Core.Aws;

namespace DdbCopy.Core.Engine;

/// <summary>What a producer is given by the job.</summary>
/// <param name="Stop">Stop reading new input (graceful stop, or the job no longer wants input).</param>
/// <param name="Abort">Stop everything, including handing over input already read.</param>
/// <param name="OnRetry">Report a retried request (operation name and why), so the summary counts it.</param>
/// <param name="Ledger">Where the source opens a ticket for each unit of input it queues, and finds where each lane starts; null without a checkpoint.</param>
/// <param name="BatchItems">At most this many items per batch (see <see cref="Capacity.WritePlan.BatchItems"/>).</param>
public sealed record SourceContext(
    ChannelWriter<WriteBatch> Output,
    TransferCounters Counters,
    CancellationToken Stop,
    CancellationToken Abort,
    Action<string, ErrorClass> OnRetry,
    int BatchItems = BatchSplitter.MaxItemsPerBatch,
    Checkpoints.SettleLedger? Ledger = null);
