using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Sources.DynamoDb;
using DdbCopy.Core.Sources.Files;
using DdbCopy.Core.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace DdbCopy.Tests.Conformance;

/// <summary>
/// What every source must do (rclone's fstests idea: one suite, every backend): the same items out as in, each once;
/// an empty input ends complete; a graceful stop ends interrupted with everything read written and nothing twice.
/// </summary>
public abstract class SourceConformance : IDisposable
{
    protected string Folder { get; } = Directory.CreateTempSubdirectory("ddbcopy-conformance-").FullName;

    /// <summary>A source holding exactly the items <see cref="ConformanceHarness.Item"/> 0 to <paramref name="count"/> - 1.</summary>
    protected abstract IItemSource Create(int count);

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task EveryItem_ComesOutExactlyOnce()
    {
        var sink = new RecordingSink();

        var summary = await ConformanceHarness.RunAsync(Create(2_000), sink, StopSignals.None);

        Assert.True(summary.Complete, summary.Error);
        Assert.Equal((2_000, 2_000), (summary.Scanned, summary.Written));
        Assert.Equal(ConformanceHarness.Keys(2_000).Order(StringComparer.Ordinal), sink.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AnEmptyInput_EndsComplete_WithNothingWritten()
    {
        var sink = new RecordingSink();

        var summary = await ConformanceHarness.RunAsync(Create(0), sink, StopSignals.None);

        Assert.True(summary.Complete, summary.Error);
        Assert.Equal((0, 0), (summary.Scanned, summary.Written));
        Assert.Empty(sink.Keys);
    }

    [Fact]
    public async Task AGracefulStop_EndsInterrupted_WithEverythingReadWrittenOnce()
    {
        using var graceful = new CancellationTokenSource();
        var sink = new RecordingSink(stopAfterBatches: 10, graceful.Cancel);

        var summary = await ConformanceHarness.RunAsync(Create(50_000), sink, new StopSignals(graceful.Token, CancellationToken.None));

        Assert.True(summary.Interrupted);
        Assert.InRange(summary.Scanned, 250, 49_999);
        Assert.Equal(summary.Scanned, summary.Written);
        Assert.Equal(summary.Written, sink.Keys.Count);
        Assert.Equal(sink.Keys.Count, sink.Keys.Distinct().Count());
    }
}

/// <summary>The segmented parallel Scan of a table (a scan reader in memory).</summary>
public sealed class ScanSourceConformance : SourceConformance
{
    protected override IItemSource Create(int count) =>
        new SegmentedScanSource(new ItemsScanReader(count), new ReadPlan(1_000_000, "test", 4, [0, 1, 2, 3], null, 50), ConformanceHarness.Options,
            TimeProvider.System);

    /// <summary>The items split over the segments by number, 100 to a page.</summary>
    private sealed class ItemsScanReader(int count) : IScanPageReader
    {
        public Task<ScanPage> ScanAsync(int segment, int totalSegments, Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>? exclusiveStartKey,
            int? limit, CancellationToken cancellationToken)
        {
            var mine = Enumerable.Range(0, count).Where(i => i % totalSegments == segment).ToList();
            var from = exclusiveStartKey is null ? 0 : int.Parse(exclusiveStartKey["n"].N, System.Globalization.CultureInfo.InvariantCulture) + 1;
            var page = mine.Where(i => i >= from).Take(100).ToList();
            var next = page.Count == 100 && page[^1] != mine[^1] ? ConformanceHarness.Item(page[^1]) : null;
            return Task.FromResult(new ScanPage(page.Select(ConformanceHarness.Item).ToList(), next, page.Count / 8.0, 0));
        }
    }
}

/// <summary>The files of an import: three files of DynamoDB JSON lines in a folder.</summary>
public sealed class FileSourceConformance : SourceConformance
{
    protected override IItemSource Create(int count)
    {
        var names = new[] { "a.json", "b.json", "c.json" };
        for (var f = 0; f < names.Length; f++)
        {
            File.WriteAllLines(Path.Combine(Folder, names[f]), Enumerable.Range(0, count).Where(i => i % names.Length == f)
                .Select(i => DynamoDbJson.ToJsonLine(ConformanceHarness.Item(i))));
        }

        var source = new ImportSource(new DirectoryStore(Folder), names.Select(n => new InputFile(n)).ToList(), null, null);
        return new FileItemSource(source, _ => new JsonLinesReader(), [new KeyAttribute("pk", "HASH", "S")],
            new RejectFile(Path.Combine(Folder, "rejects.jsonl")), failFast: false, NullLogger.Instance);
    }
}
