namespace DdbCopy.Core.Capacity;

/// <summary>How a side's rate is kept (--rate).</summary>
public enum RateMode
{
    /// <summary>Adaptive for an on-demand table, fixed for a provisioned one.</summary>
    Auto,

    /// <summary>The budget, all along.</summary>
    Fixed,

    /// <summary>Starts at the budget and follows throttling (see <see cref="AdaptiveRate"/>), never above the budget's ceiling.</summary>
    Adaptive,
}
