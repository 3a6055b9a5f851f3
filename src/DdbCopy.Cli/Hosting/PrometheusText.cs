using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using DdbCopy.Core.Telemetry;

namespace DdbCopy.Cli.Hosting;

/// <summary>
/// Every ddbcopy instrument (meters named <see cref="Instruments.MeterPrefix"/>...) in the Prometheus text format
/// 0.0.4, read through a MeterListener: observable instruments are observed afresh at each scrape, the others keep
/// their last value. Names: dots become underscores, counters end in <c>_total</c>. Written by hand: the format is a few
/// lines of text, and no exporter available here is both production-ready and AOT-clean (see <see cref="PrometheusEndpoint"/>).
/// </summary>
internal sealed class PrometheusText : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<Instrument, Dictionary<string, double>> _values = [];

    public PrometheusText()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith(Instruments.MeterPrefix, StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) =>
        {
            lock (_lock)
            {
                _values.Remove(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The /metrics page now: every instrument observed afresh.</summary>
    public string Scrape()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        lock (_lock)
        {
            foreach (var (instrument, series) in _values.OrderBy(v => v.Key.Name, StringComparer.Ordinal))
            {
                var counter = instrument is ObservableCounter<long> or ObservableCounter<double> or ObservableCounter<int> or Counter<long> or Counter<double>;
                var name = instrument.Name.Replace('.', '_') + (counter ? "_total" : "");
                text.Append("# HELP ").Append(name).Append(' ').Append(instrument.Description?.Replace("\n", " ", StringComparison.Ordinal)).Append('\n')
                    .Append("# TYPE ").Append(name).Append(' ').Append(counter ? "counter" : "gauge").Append('\n');
                foreach (var (labels, value) in series.OrderBy(s => s.Key, StringComparer.Ordinal))
                {
                    text.Append(name).Append(labels).Append(' ').Append(Number(value)).Append('\n');
                }
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        lock (_lock)
        {
            if (!_values.TryGetValue(instrument, out var series))
            {
                _values[instrument] = series = new Dictionary<string, double>(StringComparer.Ordinal);
            }

            series[labels] = value;
        }
    }

    /// <summary><c>{a="1",b="x"}</c> in name order, values escaped as the format says; empty without tags.</summary>
    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }

        var pairs = new List<string>(tags.Length);
        foreach (var (key, value) in tags)
        {
            var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            pairs.Add($"{key}=\"{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"");
        }

        pairs.Sort(StringComparer.Ordinal);
        return "{" + string.Join(',', pairs) + "}";
    }

    private static string Number(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : value.ToString("R", CultureInfo.InvariantCulture);
}
