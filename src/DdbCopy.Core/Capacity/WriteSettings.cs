namespace DdbCopy.Core.Capacity;

/// <summary>
/// How a command that writes to a table writes, bound once by the CLI for copy, import, repair and generate alike: the
/// budget (a ratio of the destination's capacity, or units per second), how the rate is kept, how many writers at
/// once, and where items that cannot be written go. (Retries per request and the request timeout are the job's, as
/// they cover its reads too.)
/// </summary>
public sealed record WriteSettings
{
    public const double DefaultRatio = 0.5;

    /// <summary>Fraction of the destination's provisioned WCU to use (ignored when <see cref="UnitsPerSecond"/> is set).</summary>
    public double Ratio { get; init; } = DefaultRatio;

    /// <summary>Absolute write budget for the whole job, in WCU per second, index writes included.</summary>
    public double? UnitsPerSecond { get; init; }

    /// <summary>At most this many writes in flight; null for the default (see <see cref="CapacityPlanner.MaxInFlight"/> and <see cref="CapacityPlanner.DefaultWriters"/>).</summary>
    public int? MaxWriteThreads { get; init; }

    /// <summary>--rate: fixed, adaptive, or adaptive for an on-demand destination (auto). Repair and generate write at a fixed rate.</summary>
    public RateMode Rate { get; init; } = RateMode.Auto;

    /// <summary>Where items that cannot be written go; null for the default path (Engine's DeadLetterFile.DefaultPath).</summary>
    public string? DeadLetterFile { get; init; }

    /// <summary>The writing side's request to the capacity planner.</summary>
    public WriteRequest Request => new(Ratio, UnitsPerSecond, MaxWriteThreads);
}
