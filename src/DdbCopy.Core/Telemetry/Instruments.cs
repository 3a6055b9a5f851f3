using System.Diagnostics.Metrics;

namespace DdbCopy.Core.Telemetry;

/// <summary>
/// ddbcopy's metrics, through System.Diagnostics.Metrics: every meter's name starts with <see cref="MeterPrefix"/>,
/// so an exporter (the CLI's Prometheus endpoint, any OpenTelemetry reader) listens to them all. The figures a job
/// already counts for its summary are observed from its progress (<see cref="Engine.JobMeter"/>); this class holds the
/// instruments recorded where the value changes.
/// </summary>
public static class Instruments
{
    public const string MeterPrefix = "DdbCopy";

    /// <summary>The meter of values recorded as they change, shared by the whole process.</summary>
    public static readonly Meter Process = new(MeterPrefix + ".Process");

    /// <summary>The rate the adaptive controller allows now, per side ("read", "write"), in capacity units per second.</summary>
    public static readonly Gauge<double> AdaptiveRate = Process.CreateGauge<double>("ddbcopy.adaptive.rate", "{capacity_unit}/s",
        "The rate the adaptive controller allows now, in capacity units per second");
}
