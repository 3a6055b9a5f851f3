using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;

namespace DdbCopy.Tests.Fakes;

internal sealed class RecordingObserver : IProgressObserver
{
    public List<TransferSummary> Snapshots { get; } = [];

    public CopyPlan? Plan { get; private set; }

    public void PlanReady(CopyPlan plan) => Plan = plan;

    public void Progress(TransferSummary snapshot)
    {
        lock (Snapshots)
        {
            Snapshots.Add(snapshot);
        }
    }
}
