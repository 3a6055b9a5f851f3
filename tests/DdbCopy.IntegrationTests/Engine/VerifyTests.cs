using Amazon.DynamoDBv2.Model;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Engine;

/// <summary>
/// `ddbcopy verify` through the real CLI against DynamoDB Local: it finds a deleted item, an attribute changed deep in
/// a nested map and an extra item, and nothing where DynamoDB holds items equal (numbers by value, sets in any
/// order); --repair fixes them (extras only with --deleteExtra) and verifies again; an export can be the source.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class VerifyTests(DynamoDbFixture db) : IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-verify-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private string DiffPath => Path.Combine(_folder, "diff.jsonl");

    private Task<ProcessResult> VerifyAsync(string source, string destination, params string[] extra) => DdbCopyCli.RunAsync(
    [
        "verify", "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
        "--diffFile", DiffPath, "--segments", "3", "--output", "json", .. extra,
    ]);

    private static Dictionary<string, AttributeValue> Key(string pk) => new() { ["pk"] = new AttributeValue { S = pk } };

    /// <summary>A source and an exact copy of it: every attribute type, and 500 plain items.</summary>
    private async Task<(string Source, string Destination)> TwinsAsync(string prefix)
    {
        var source = await _tables.CreateAsync(prefix + "-src");
        var destination = await _tables.CreateAsync(prefix + "-dst");
        var items = ItemFactory.EveryType().Concat(ItemFactory.Many(500, 300)).ToList();
        await Tables.PutAllAsync(db.Client, source, items);
        await Tables.PutAllAsync(db.Client, destination, items);
        return (source, destination);
    }

    /// <summary>One item deleted, one changed deep in a nested map, one extra; one rewritten with equal numbers and sets in another order.</summary>
    private async Task BreakAsync(string destination)
    {
        await db.Client.DeleteItemAsync(destination, Key(ItemFactory.Sized(42, 300)["pk"].S));
        var nested = ItemFactory.EveryType().Single(i => i["pk"].S == "nested");
        nested["m"].M["deeper"].M["leaf"] = new AttributeValue { SS = ["p", "q", "r"] };
        await db.Client.PutItemAsync(destination, nested);
        await db.Client.PutItemAsync(destination, new Dictionary<string, AttributeValue> { ["pk"] = new() { S = "only-in-destination" } });
        var sets = ItemFactory.EveryType().Single(i => i["pk"].S == "sets");
        sets["ss"] = new AttributeValue { SS = ["ünï", "b", "a"] };
        sets["ns"] = new AttributeValue { NS = ["12345678901234567890123456789012345678", "-3.0", "2.50", "1"] };
        await db.Client.PutItemAsync(destination, sets);
    }

    [Fact]
    public async Task VerifyJson_OnEveryErrorExit_HasTheSameFieldsAsOnSuccess()
    {
        var (source, destination) = await TwinsAsync("verify-shape");

        var equal = await VerifyAsync(source, destination);
        var missingTable = await VerifyAsync(source, "no-such-table-here");
        var usage = await DdbCopyCli.RunAsync("verify", "--destinationEndpoint", db.Endpoint, "--destinationTable", "t", "--output", "json");

        static List<string> Fields(ProcessResult result) =>
            DdbCopyCli.Summary(result).EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(0, equal.ExitCode);
        Assert.Equal(3, missingTable.ExitCode);
        Assert.Equal(2, usage.ExitCode);
        Assert.Equal(Fields(equal), Fields(missingTable));
        Assert.Equal(Fields(equal), Fields(usage));
        Assert.Contains("does not exist", DdbCopyCli.Summary(missingTable).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(DdbCopyCli.Summary(usage).GetProperty("equal").GetBoolean());
    }

    [Fact]
    public async Task Verify_OfAnExactCopy_IsEqual()
    {
        var (source, destination) = await TwinsAsync("verify-equal");

        var result = await VerifyAsync(source, destination);

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = DdbCopyCli.Summary(result);
        Assert.True(summary.GetProperty("equal").GetBoolean());
        Assert.Equal(506, summary.GetProperty("compared").GetInt64());
        Assert.Equal(0, summary.GetProperty("missing").GetInt64() + summary.GetProperty("different").GetInt64() + summary.GetProperty("extra").GetInt64());
        Assert.True(summary.GetProperty("consumedSourceReadCapacity").GetDouble() > 0);
        Assert.False(File.Exists(DiffPath));
    }

    [Fact]
    public async Task Verify_FindsAMissingAChangedDeepInANestedMapAndAnExtraItem_AndNothingElse()
    {
        var (source, destination) = await TwinsAsync("verify-diff");
        await BreakAsync(destination);

        var result = await VerifyAsync(source, destination);

        Assert.Equal(5, result.ExitCode);
        var summary = DdbCopyCli.Summary(result);
        Assert.Equal((506L, 1L, 1L, 1L), (summary.GetProperty("compared").GetInt64(), summary.GetProperty("missing").GetInt64(),
            summary.GetProperty("different").GetInt64(), summary.GetProperty("extra").GetInt64()));
        Assert.False(summary.GetProperty("equal").GetBoolean());
        var lines = File.ReadAllLines(DiffPath).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
        [
            $$$"""{"Key":{"pk":{"S":"{{{ItemFactory.Sized(42, 300)["pk"].S}}}"}},"Difference":"missing"}""",
            """{"Key":{"pk":{"S":"nested"}},"Difference":"different"}""",
            """{"Key":{"pk":{"S":"only-in-destination"}},"Difference":"extra"}""",
        ], lines);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(DiffPath));
        }
    }

    [Fact]
    public async Task Repair_WritesWhatIsMissingOrDifferent_DeletesExtrasOnlyWhenAsked_ThenVerifiesEqual()
    {
        var (source, destination) = await TwinsAsync("verify-repair");
        await BreakAsync(destination);

        var partly = await VerifyAsync(source, destination, "--repair");
        var full = await VerifyAsync(source, destination, "--repair", "--deleteExtra");
        var after = await VerifyAsync(source, destination);

        Assert.Equal(5, partly.ExitCode); // the extra item is left without --deleteExtra
        var first = DdbCopyCli.Summary(partly);
        Assert.Equal(2, first.GetProperty("repaired").GetInt64());
        Assert.Equal(0, first.GetProperty("deleted").GetInt64());
        Assert.Equal(1, first.GetProperty("afterRepair").GetProperty("extra").GetInt64());
        Assert.Equal(0, first.GetProperty("afterRepair").GetProperty("missing").GetInt64() + first.GetProperty("afterRepair").GetProperty("different").GetInt64());
        Assert.True(full.ExitCode == 0, full.ToString());
        var second = DdbCopyCli.Summary(full);
        Assert.Equal((0L, 1L), (second.GetProperty("repaired").GetInt64(), second.GetProperty("deleted").GetInt64()));
        Assert.True(second.GetProperty("equal").GetBoolean());
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Null((await db.Client.GetItemAsync(destination, Key("only-in-destination"))).Item is { Count: > 0 } item ? item : null);
    }

    [Fact]
    public async Task Verify_FromAnExport_ComparesTheTableWithIt()
    {
        var (source, destination) = await TwinsAsync("verify-from");
        var to = Path.Combine(_folder, "export");
        var exported = await DdbCopyCli.RunAsync("export", "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--to", to,
            "--checkpointFile", Path.Combine(_folder, "export.checkpoint.json"));
        Assert.True(exported.ExitCode == 0, exported.ToString());
        await db.Client.DeleteItemAsync(destination, Key("sets"));

        var result = await DdbCopyCli.RunAsync("verify", "--from", to, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            "--diffFile", DiffPath, "--repair", "--output", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = DdbCopyCli.Summary(result);
        Assert.Equal((506L, 1L, 1L), (summary.GetProperty("compared").GetInt64(), summary.GetProperty("missing").GetInt64(),
            summary.GetProperty("repaired").GetInt64()));
        Assert.True(summary.GetProperty("equal").GetBoolean());
    }

    [Fact]
    public async Task Verify_WithoutASource_OrDeleteExtraWithoutRepair_IsAUsageError()
    {
        var neither = await DdbCopyCli.RunAsync("verify", "--destinationEndpoint", db.Endpoint, "--destinationTable", "t");
        var both = await DdbCopyCli.RunAsync("verify", "--sourceTable", "a", "--from", _folder, "--destinationEndpoint", db.Endpoint, "--destinationTable", "t");
        var delete = await DdbCopyCli.RunAsync("verify", "--sourceTable", "a", "--destinationEndpoint", db.Endpoint, "--destinationTable", "t", "--deleteExtra");

        Assert.All(new[] { neither, both }, r => Assert.Contains("--sourceTable (a table) or --from (an export), one of them", r.StandardError, StringComparison.Ordinal));
        Assert.Contains("add --repair", delete.StandardError, StringComparison.Ordinal);
        Assert.All(new[] { neither, both, delete }, r => Assert.Equal(2, r.ExitCode));
    }
}
