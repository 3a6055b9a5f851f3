using System.Text.Json;
using System.Text.RegularExpressions;
using DdbCopy.Cli.Hosting;
using DdbCopy.Core.Engine;

namespace DdbCopy.Tests.Cli;

/// <summary>The /metrics page a job's progress makes, and the Grafana dashboard in deploy/ asking only for series it has.</summary>
public sealed partial class PrometheusTextTests
{
    private static string Page(string? section)
    {
        using var page = new PrometheusText();
        using var meter = new JobMeter(null, "copy", section);
        meter.PlanReady(new ProgressPlan(null, 1000, 5000));
        meter.Progress(new TransferSummary
        {
            Scanned = 120, Written = 100, DeadLettered = 2, ThrottledRequests = 7, Retries = 9, ConsumedWriteCapacity = 250.5,
            Follow = new FollowSummary("arn", 10, 8, 1, 0, 3, 1.5, 4, Applying: true, CaughtUp: false),
        });
        return page.Scrape();
    }

    [Fact]
    public void TheProgress_IsOnThePage_AsCountersAndGauges_WithTheSectionLabel()
    {
        var page = Page("2");

        Assert.Contains("# TYPE ddbcopy_items_written_total counter\n", page, StringComparison.Ordinal);
        Assert.Contains("ddbcopy_items_written_total{section=\"2\"} 100\n", page, StringComparison.Ordinal);
        Assert.Contains("ddbcopy_items_read_total{section=\"2\"} 120\n", page, StringComparison.Ordinal);
        Assert.Contains("ddbcopy_items_dead_lettered_total{section=\"2\"} 2\n", page, StringComparison.Ordinal);
        Assert.Contains("ddbcopy_requests_throttled_total{section=\"2\"} 7\n", page, StringComparison.Ordinal);
        Assert.Contains("ddbcopy_capacity_consumed_total{section=\"2\",side=\"write\"} 250.5\n", page, StringComparison.Ordinal);
        Assert.Contains("# TYPE ddbcopy_capacity_budget gauge\n", page, StringComparison.Ordinal);
        Assert.Contains("ddbcopy_capacity_budget{section=\"2\",side=\"write\"} 1000\n", page, StringComparison.Ordinal);
        Assert.DoesNotContain("side=\"read\"} 1000", page, StringComparison.Ordinal); // no read budget was planned
        Assert.Contains("ddbcopy_follow_lag_seconds{section=\"2\"} 1.5\n", page, StringComparison.Ordinal);
        Assert.Contains("ddbcopy_follow_records_applied_total{section=\"2\"} 8\n", page, StringComparison.Ordinal);
        Assert.Contains("ddbcopy_job_info{command=\"copy\",section=\"2\"} 1\n", page, StringComparison.Ordinal);
        Assert.Contains("ddbcopy_items_written_total 100\n", Page(null), StringComparison.Ordinal);
    }

    [Fact]
    public void TheAdaptiveRate_IsAGaugePerSide_OnceAControllerRuns()
    {
        using var page = new PrometheusText();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var bucket = new DdbCopy.Core.Capacity.CapacityBucket(1234, time);
        using var rate = new DdbCopy.Core.Capacity.AdaptiveRate(bucket, 40_000, "write", "WCU", time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        var text = page.Scrape();

        Assert.Contains("# TYPE ddbcopy_adaptive_rate gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("ddbcopy_adaptive_rate{side=\"write\"} ", text, StringComparison.Ordinal); // (other tests' controllers may have set it since)
    }

    [Fact]
    public void EveryLine_IsACommentOrASample_InTheTextFormat()
    {
        foreach (var line in Page("0").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.Matches(Sample(), line);
        }
    }

    [Fact]
    public void TheGrafanaDashboard_AsksOnlyForSeriesThePageHas()
    {
        var page = Page("0");
        var names = Regex.Matches(page, "^[a-z_]+", RegexOptions.Multiline).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "grafana", "ddbcopy-dashboard.json")));

        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!).ToList();
        Assert.NotEmpty(expressions);
        var asked = expressions.SelectMany(e => Regex.Matches(e, "ddbcopy_[a-z_]+").Select(m => m.Value)).ToHashSet(StringComparer.Ordinal);
        Assert.All(asked.Where(a => a != "ddbcopy_adaptive_rate"), name => Assert.Contains(name, names)); // the adaptive rate appears once a rate adapts
    }

    [GeneratedRegex("""^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? -?[0-9.eE+-]+)$""")]
    private static partial Regex Sample();

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", ".."));
}
