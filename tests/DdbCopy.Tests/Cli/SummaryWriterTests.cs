using System.Text.Json;
using DdbCopy.Cli.Output;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;

namespace DdbCopy.Tests.Cli;

/// <summary>The summary's account of what limited the write rate, as text and as JSON.</summary>
public sealed class SummaryWriterTests
{
    private static readonly SideSpec Local = new(new EndpointSpec(new Uri("http://localhost:8000"), null, true), null);

    private static readonly TransferSummary Summary = new()
    {
        Scanned = 10, Written = 10, DurationSeconds = 1,
        LimitShares = [(RateLimit.Budget, 0.8126), (RateLimit.Throttling, 0.15), (RateLimit.Source, 0.0374)],
    };

    [Fact]
    public void Text_NamesEachCauseWithItsShareOfTheRun_LargestFirst()
    {
        using var output = new StringWriter();
        SummaryWriter.Write(output, "text", "a", "b", Local, Summary, 0);

        Assert.Contains("The write rate was limited by the budget 81% of the time, throttling 15%, the source's reads 4%.",
            output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_GivesTheLargestCauseAndEveryShare()
    {
        using var output = new StringWriter();
        SummaryWriter.Write(output, "json", "a", "b", Local, Summary, 0);

        var json = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Equal("budget", json.GetProperty("limitedBy").GetString());
        Assert.Equal(0.813, json.GetProperty("limitedByShares").GetProperty("budget").GetDouble());
        Assert.Equal(0.037, json.GetProperty("limitedByShares").GetProperty("source").GetDouble());
    }

    [Fact]
    public void WithoutATableSink_NothingIsSaidAboutIt()
    {
        using var output = new StringWriter();
        SummaryWriter.Write(output, "text", "a", "b", Local, Summary with { LimitShares = null }, 0);

        Assert.DoesNotContain("limited by", output.ToString(), StringComparison.Ordinal);
    }
}
