using Amazon.DynamoDBv2.Model;
using BenchmarkDotNet.Attributes;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Items;

namespace DdbCopy.Benchmarks;

/// <summary>The per-item work ddbcopy adds on the hot path, for 1,000 items of ~1 KB (one scan page).</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class HotPathBenchmarks
{
    private List<Dictionary<string, AttributeValue>> _page = [];

    [GlobalSetup]
    public void Setup() => _page = Enumerable.Range(0, 1000).Select(i => new Dictionary<string, AttributeValue>
    {
        ["pk"] = new() { S = $"item-{i:D7}" },
        ["n"] = new() { N = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        ["payload"] = new() { S = new string('x', 960) },
    }).ToList();

    [Benchmark]
    public int ItemSizeOfAPage()
    {
        var total = 0;
        foreach (var item in _page)
        {
            total += ItemSize.Of(item);
        }

        return total;
    }

    [Benchmark]
    public int SplitAPageIntoBatches() => BatchSplitter.Split(_page).Count();

    [Benchmark]
    public int DeadLetterLinesOfAPage() => _page.Sum(item => DynamoDbJson.ToJsonLine(item).Length);
}
