using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Jobs.Generating;
using DdbCopy.Core.Jobs.Verifying;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Shaping;
using DdbCopy.Core.Sources.DynamoDb;
using DdbCopy.Core.Sources.Files;
using DdbCopy.Core.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace DdbCopy.Tests.Conformance;

/// <summary>The segmented parallel Scan of a table (a scan reader in memory).</summary>
public sealed class ScanSourceConformance : ResumableSourceConformance
{
    protected override IItemSource Create(int count) => Scan(count);

    protected override IReadOnlyList<int> Lanes(int count) => [0, 1, 2, 3];

    internal static IItemSource Scan(int count) =>
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
public sealed class FileSourceConformance : RefusingSourceConformance
{
    private static readonly string[] Names = ["a.json", "b.json", "c.json"];

    protected override IItemSource Create(int count) => CreateWithRefusals(count, new HashSet<int>());

    protected override IReadOnlyList<int> Lanes(int count) => [0];

    protected override IItemSource CreateWithRefusals(int count, IReadOnlySet<int> refused)
    {
        for (var f = 0; f < Names.Length; f++)
        {
            File.WriteAllLines(Path.Combine(Folder, Names[f]), Enumerable.Range(0, count).Where(i => i % Names.Length == f)
                .Select(i => refused.Contains(i) ? "{\"Item\":{\"n\":{\"N\":\"" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"}}}" : DynamoDbJson.ToJsonLine(ConformanceHarness.Item(i))));
        }

        var source = new ImportSource(new DirectoryStore(Folder), Names.Select(n => new InputFile(n)).ToList(), null, null);
        return new FileItemSource(source, _ => new JsonLinesReader(), [new KeyAttribute("pk", "HASH", "S")],
            new RejectFile(Path.Combine(Folder, "rejects.jsonl")), failFast: false, NullLogger.Instance);
    }
}

/// <summary>The items `ddbcopy generate` fills a table with.</summary>
public sealed class GeneratedSourceConformance : SourceConformance
{
    private static readonly GeneratedItems Items = new([new KeyAttribute("pk", "HASH", "S")], 300, rich: false);

    protected override IItemSource Create(int count) => new FillSource(Items, count);

    protected override IEnumerable<string> ExpectedKeys(int count) => Enumerable.Range(0, count).Select(i => Items.Key(i)["pk"].S);
}

/// <summary>The keys a repair deletes (the extras of a diff file).</summary>
public sealed class KeyListSourceConformance : SourceConformance
{
    protected override IItemSource Create(int count) =>
        new KeyListSource(Enumerable.Range(0, count).Select(i => new Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue> { ["pk"] = ConformanceHarness.Item(i)["pk"] }));
}

/// <summary>Any source shaped (here the scan, with an attribute dropped): shaping keeps every promise of the source under it.</summary>
public sealed class ShapedSourceConformance : ResumableSourceConformance
{
    protected override IReadOnlyList<int> Lanes(int count) => [0, 1, 2, 3];

    protected override IItemSource Create(int count)
    {
        var settings = ShapeSettings.None with { DropAttributes = ["payload"] };
        var rejects = new RejectFile(Path.Combine(Folder, $"rejects-{Guid.NewGuid():N}.jsonl"));
        return ShapedJob.Source(ScanSourceConformance.Scan(count), new ItemShaper(settings, ["pk"], filterHere: true),
            new ShapeRejects(rejects, "conformance", NullLogger.Instance), settings, NullLogger.Instance);
    }
}
