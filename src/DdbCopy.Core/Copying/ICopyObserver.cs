using DdbCopy.Core.Capacity;

namespace DdbCopy.Core.Copying;

/// <summary>How the engine reports to whoever runs it (the CLI prints; tests record).</summary>
public interface ICopyObserver
{
    /// <summary>Called once, when the plan is known and before the first write.</summary>
    void PlanReady(CopyPlan plan);

    /// <summary>Called every few seconds while the copy runs.</summary>
    void Progress(CopySummary snapshot);
}
