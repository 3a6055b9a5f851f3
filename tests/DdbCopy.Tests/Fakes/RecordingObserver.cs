using DdbCopy.Core.Engine;

namespace DdbCopy.Tests.Fakes;

internal sealed class RecordingObserver : IProgressObserver
{
    public List<TransferSummary> Snapshots { get; } = [];

    public ProgressPlan? Plan { get; private set; }

    public void PlanReady(ProgressPlan plan) => Plan = plan;

    public void Progress(TransferSummary snapshot)
    {
        lock (Snapshots)
        {
            Snapshots.Add(snapshot);
        }
    }
}
