namespace DdbCopy.Core.Engine;

/// <summary>How the engine reports to whoever runs it (the CLI prints; tests record).</summary>
public interface IProgressObserver
{
    /// <summary>Called once, when the plan is known and before the first write.</summary>
    void PlanReady(ProgressPlan plan);

    /// <summary>Called every few seconds while the copy runs.</summary>
    void Progress(TransferSummary snapshot);
}
