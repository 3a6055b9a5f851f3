using Amazon.DynamoDBv2.Model;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Generating;

/// <summary>`ddbcopy generate` through the real CLI against DynamoDB Local: a fill of every attribute type, then changes at a rate.</summary>
[Collection(DynamoDbCollection.Name)]
public sealed class GenerateTests(DynamoDbFixture db) : IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _tables.DisposeAsync();

    private Task<ProcessResult> GenerateAsync(string table, params string[] extra) =>
        DdbCopyCli.RunAsync(["generate", "--endpoint", db.Endpoint, "--table", table, "--output", "json", .. extra]);

    /// <summary>The item's size as DynamoDB counts it (names and values in UTF-8, numbers about one byte per two digits), roughly.</summary>
    private static int RoughSize(Dictionary<string, AttributeValue> item) =>
        item.Sum(a => System.Text.Encoding.UTF8.GetByteCount(a.Key) + RoughSize(a.Value));

    private static int RoughSize(AttributeValue v) =>
        v.S is not null ? System.Text.Encoding.UTF8.GetByteCount(v.S)
        : v.N is not null ? v.N.Length / 2 + 1
        : v.B is not null ? (int)v.B.Length
        : v.SS is not null ? v.SS.Sum(s => s.Length)
        : v.NS is not null ? v.NS.Sum(n => n.Length / 2 + 1)
        : v.BS is not null ? v.BS.Sum(b => (int)b.Length)
        : v.L is not null ? 3 + v.L.Sum(e => 1 + RoughSize(e))
        : v.M is not null ? 3 + v.M.Sum(e => 1 + e.Key.Length + RoughSize(e.Value))
        : 1;

    private static IEnumerable<string> TypesIn(AttributeValue v)
    {
        var own = v.S is not null ? "S" : v.N is not null ? "N" : v.B is not null ? "B" : v.BOOL is not null ? "BOOL" : v.NULL is not null ? "NULL"
            : v.SS is not null ? "SS" : v.NS is not null ? "NS" : v.BS is not null ? "BS" : v.L is not null ? "L" : "M";
        var inner = v.L?.SelectMany(TypesIn) ?? v.M?.Values.SelectMany(TypesIn) ?? [];
        return inner.Append(own);
    }

    [Fact]
    public async Task Generate_Rich_FillsTheTableWithItemsOfEveryTypeAndTheSizeAskedFor()
    {
        var table = await _tables.CreateAsync("gen-rich", rangeKey: "sk");

        var result = await GenerateAsync(table, "--items", "2000", "--itemSize", "500", "--rich");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(2000, DdbCopyCli.Summary(result).GetProperty("written").GetInt64());
        var items = await Tables.ScanAllAsync(db.Client, table);
        Assert.Equal(2000, items.Count);
        Assert.Equal(2000, items.Select(i => (i["pk"].S, i["sk"].S)).Distinct().Count());
        var types = items.SelectMany(i => i.Values.SelectMany(TypesIn)).ToHashSet();
        Assert.Superset(new HashSet<string> { "S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M" }, types);
        Assert.All(items, i => Assert.InRange(RoughSize(i), 450, 560));
    }

    [Fact]
    public async Task Generate_WithChanges_UpdatesAndDeletesAtTheRateAskedForDuringTheDuration()
    {
        var table = await _tables.CreateAsync("gen-churn", writeUnits: 10_000);

        var result = await GenerateAsync(table, "--items", "300", "--itemSize", "200", "--updatesPerSecond", "100", "--deletesPerSecond", "20",
            "--duration", "3s", "--conflictAttribute", "updatedAt", "--seed", "7");

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = DdbCopyCli.Summary(result);
        var (updated, deleted) = (summary.GetProperty("updated").GetInt64(), summary.GetProperty("deleted").GetInt64());
        Assert.InRange(updated, 240, 330);
        Assert.InRange(deleted, 45, 70);
        Assert.True(result.Elapsed >= TimeSpan.FromSeconds(3), $"the run took {result.Elapsed}");
        Assert.Equal(7, summary.GetProperty("seed").GetInt32());
        var items = await Tables.ScanAllAsync(db.Client, table);
        Assert.InRange(items.Count, 300 - (int)deleted, 299);
        var changed = items.Where(i => i["version"].N != "0").ToList();
        Assert.NotEmpty(changed);
        Assert.All(changed, i => Assert.True(DateTimeOffset.TryParse(i["updatedAt"].S, out _), i["updatedAt"].S));
        Assert.All(items.Where(i => i["version"].N == "0"), i => Assert.False(i.ContainsKey("updatedAt")));
    }

    [Fact]
    public async Task Generate_WithBadFlags_IsAUsageError()
    {
        var noDuration = await GenerateAsync("t", "--updatesPerSecond", "5");
        var badSize = await GenerateAsync("t", "--itemSize", "2MB");
        var tooBig = await GenerateAsync("t", "--itemSize", "401KB");

        Assert.All(new[] { noDuration, badSize, tooBig }, r => Assert.Equal(2, r.ExitCode));
        Assert.Contains("need --duration", noDuration.StandardError, StringComparison.Ordinal);
        Assert.Contains("--itemSize must be a size from 1 byte to 400KB", badSize.StandardError, StringComparison.Ordinal);
        Assert.Contains("(got '401KB')", tooBig.StandardError, StringComparison.Ordinal);
    }
}
