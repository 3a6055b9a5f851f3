using DdbCopy.Core.Capacity;
using DdbCopy.Core.Copying;

namespace DdbCopy.Tests.Fakes;

internal sealed class RecordingObserver : ICopyObserver
{
    public List<CopySummary> Snapshots { get; } = [];

    public CopyPlan? Plan { get; private set; }

    public void PlanReady(CopyPlan plan) => Plan = plan;

    public void Progress(CopySummary snapshot)
    {
        lock (Snapshots)
        {
            Snapshots.Add(snapshot);
        }
    }
}
