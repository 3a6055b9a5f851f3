using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Shaping;

[Collection(DynamoDbCollection.Name)]
public sealed class ShapingTests(DynamoDbFixture db) : IAsyncLifetime
{
    private const int Count = 600;
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-shape-").FullName;

    private static readonly Dictionary<string, string> MaskKey = new() { ["DDBCOPY_MASK_KEY"] = "staging-refresh-key-0123456789ab" };
    private static readonly Dictionary<string, string> OtherMaskKey = new() { ["DDBCOPY_MASK_KEY"] = "another-key-for-masking-98765432" };

    /// <summary>People with personal data: numbered, in three tenants, e-mail, phone, a nested address, a set, a list of contacts.</summary>
    private static Dictionary<string, AttributeValue> Person(int i) => new()
    {
        ["pk"] = new AttributeValue { S = $"person-{i:0000}" },
        ["n"] = new AttributeValue { N = i.ToString(CultureInfo.InvariantCulture) },
        ["tenant"] = new AttributeValue { S = $"tenant-{i % 3}" },
        ["email"] = new AttributeValue { S = $"person{i}.secret@realcorp.com" },
        ["phone"] = new AttributeValue { S = $"+44 20 7946 {i:0000}" },
        ["address"] = new AttributeValue { M = new() { ["street"] = new AttributeValue { S = $"{i} Privet Drive" }, ["city"] = new AttributeValue { S = "Little Whinging" } } },
        ["aliases"] = new AttributeValue { SS = [$"alias{i}x", $"nick{i}y"] },
        ["contacts"] = new AttributeValue { L = [new AttributeValue { M = new() { ["email"] = new AttributeValue { S = $"friend{i}@realcorp.com" } } }] },
        ["audit"] = new AttributeValue { S = "created by import" },
    };

    private async Task<string> SourceAsync(int count = Count)
    {
        var source = await _tables.CreateAsync("shape-src");
        await Tables.PutAllAsync(db.Client, source, Enumerable.Range(0, count).Select(Person));
        return source;
    }

    private string[] Copy(string source, string destination, params string[] more) =>
        ["--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination, "--output", "json", .. more];

    [Fact]
    public async Task Filter_OnANumberAndAString_CopiesExactlyTheMatchingItems_AndAnImportFiltersTheSame()
    {
        var source = await SourceAsync();
        var copied = await _tables.CreateAsync("filter-dst");
        var filter = new[] { "--filterExpression", "n >= :low AND #t = :tenant", "--expressionAttributeNames", """{"#t":"tenant"}""",
            "--expressionAttributeValues", """{":low":{"N":"150"},":tenant":{"S":"tenant-1"}}""" };
        // The expected keys, by a predicate of the test's own (not ddbcopy's evaluator, not the Scan's filter).
        var expected = (await Tables.ScanAllAsync(db.Client, source))
            .Where(i => int.Parse(i["n"].N, CultureInfo.InvariantCulture) >= 150 && i["tenant"].S == "tenant-1")
            .Select(i => i["pk"].S).Order(StringComparer.Ordinal).ToList();

        var result = await DdbCopyCli.RunAsync(Copy(source, copied, filter));

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = DdbCopyCli.Summary(result);
        Assert.Equal(Count, summary.GetProperty("scanned").GetInt32());
        Assert.Equal(expected.Count, summary.GetProperty("written").GetInt32());
        Assert.Equal(Count - expected.Count, summary.GetProperty("filtered").GetInt32());
        Assert.Equal(expected, await KeysAsync(copied));

        // The same filter on an import of the whole table's export is evaluated by ddbcopy itself: the same items.
        var export = Path.Combine(_folder, "export");
        var exported = await DdbCopyCli.RunAsync("export", "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--to", export);
        Assert.True(exported.ExitCode == 0, exported.ToString());
        var imported = await _tables.CreateAsync("filter-imp");
        var import = await DdbCopyCli.RunAsync(["import", "--from", export, "--destinationEndpoint", db.Endpoint, "--destinationTable", imported,
            "--output", "json", .. filter]);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Equal(Count - expected.Count, DdbCopyCli.Summary(import).GetProperty("filtered").GetInt32());
        Assert.Equal(expected, await KeysAsync(imported));
    }

    [Fact]
    public async Task DropAndRename_ReshapeEveryItem_AndARenameIntoAnExistingNameIsRejected()
    {
        var source = await SourceAsync(50);
        await db.Client.PutItemAsync(source, new Dictionary<string, AttributeValue>
        {
            ["pk"] = new AttributeValue { S = "clash" }, ["phone"] = new AttributeValue { S = "1" }, ["mobile"] = new AttributeValue { S = "2" },
        });
        var destination = await _tables.CreateAsync("reshape-dst");
        var rejects = Path.Combine(_folder, "rejects.jsonl");

        var result = await DdbCopyCli.RunAsync(Copy(source, destination, "--dropAttributes", "audit,address.city", "--renameAttribute", "phone=mobile",
            "--rejectFile", rejects));

        Assert.Equal(4, result.ExitCode); // one item could not be shaped: not complete
        var summary = DdbCopyCli.Summary(result);
        Assert.Equal((50, 1), (summary.GetProperty("written").GetInt32(), summary.GetProperty("rejected").GetInt32()));
        Assert.Contains("the item already has an attribute", await File.ReadAllTextAsync(rejects), StringComparison.Ordinal);
        var items = await Tables.ScanAllAsync(db.Client, destination);
        Assert.Equal(50, items.Count);
        Assert.All(items, i =>
        {
            Assert.False(i.ContainsKey("audit"));
            Assert.False(i.ContainsKey("phone"));
            Assert.StartsWith("+44 20 7946", i["mobile"].S, StringComparison.Ordinal);
            Assert.Equal(["street"], i["address"].M.Keys);
        });
    }

    [Fact]
    public async Task AResumedCopyWithShaping_GoesOnWithTheRejectFileItsCheckpointRecorded()
    {
        var source = await SourceAsync(20);
        await db.Client.PutItemAsync(source, new Dictionary<string, AttributeValue>
        {
            ["pk"] = new AttributeValue { S = "clash" }, ["phone"] = new AttributeValue { S = "1" }, ["mobile"] = new AttributeValue { S = "2" },
        });
        var destination = await _tables.CreateAsync("reshape-resume");
        var rejects = Path.Combine(_folder, "resumed-rejects.jsonl");
        string[] shaped = ["--renameAttribute", "phone=mobile", "--checkpointFile", Path.Combine(_folder, "reshape.checkpoint.json")];

        var first = await DdbCopyCli.RunAsync(Copy(source, destination, [.. shaped, "--rejectFile", rejects]));
        var resumed = await DdbCopyCli.RunAsync(Copy(source, destination, [.. shaped, "--resume"])); // no --rejectFile: the checkpoint's

        Assert.Equal(4, first.ExitCode);
        Assert.Equal(1, DdbCopyCli.Summary(first).GetProperty("rejected").GetInt32());
        var summary = DdbCopyCli.Summary(resumed);
        Assert.Equal(DdbCopyCli.Summary(first).GetProperty("scanned").GetInt32(), summary.GetProperty("resumed").GetInt32()); // finished: nothing is read again
        Assert.Equal(Path.GetFullPath(rejects), summary.GetProperty("rejectFile").GetString());
        Assert.Single(await File.ReadAllLinesAsync(rejects));
    }

    [Fact]
    public async Task Mask_IsDeterministicPerKey_KeepsFormats_AndLeavesNoOriginalValueAnywhere()
    {
        var source = await SourceAsync(200);
        // One item the destination refuses after masking (its 'code' is a string, the index wants a number): it is dead-lettered.
        await db.Client.PutItemAsync(source, new Dictionary<string, AttributeValue>
        {
            ["pk"] = new AttributeValue { S = "refused" }, ["email"] = new AttributeValue { S = "refused.person@realcorp.com" },
            ["code"] = new AttributeValue { S = "not a number" },
        });
        var index = new GlobalSecondaryIndex
        {
            IndexName = "by-code", KeySchema = [new KeySchemaElement("code", KeyType.HASH)], Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
            ProvisionedThroughput = new ProvisionedThroughput(1000, 1000),
        };
        var first = await _tables.CreateAsync("mask-a", indexes: [index], extraAttributes: [new AttributeDefinition("code", ScalarAttributeType.N)]);
        var second = await _tables.CreateAsync("mask-b");
        var other = await _tables.CreateAsync("mask-c");
        var deadLetters = Path.Combine(_folder, "dead.jsonl");
        string[] mask = ["--mask", "email,phone,address.street,aliases,contacts.email"];

        var a = await DdbCopyCli.RunWithEnvironmentAsync(MaskKey, Copy(source, first, [.. mask, "--deadLetterFile", deadLetters, "--verbose"]));
        var b = await DdbCopyCli.RunWithEnvironmentAsync(MaskKey, Copy(source, second, mask));
        var c = await DdbCopyCli.RunWithEnvironmentAsync(OtherMaskKey, Copy(source, other, mask));

        Assert.Equal(4, a.ExitCode); // the refused item
        Assert.True(b.ExitCode == 0 && c.ExitCode == 0, b + "\n" + c);
        var inA = (await Tables.ScanAllAsync(db.Client, first)).ToDictionary(i => i["pk"].S);
        var inB = (await Tables.ScanAllAsync(db.Client, second)).ToDictionary(i => i["pk"].S);
        var inC = (await Tables.ScanAllAsync(db.Client, other)).ToDictionary(i => i["pk"].S);
        Assert.Equal(200, inA.Count);
        foreach (var (pk, item) in inA.Select(kv => (kv.Key, kv.Value)))
        {
            Assert.Equal(ItemFactory.Canonical(item), ItemFactory.Canonical(inB[pk])); // the same key: the same stand-ins
            Assert.NotEqual(item["email"].S, inC[pk]["email"].S); // another key: others
            Assert.Matches("^u_([0-9a-f]{2})+@example\\.invalid$", item["email"].S);
            Assert.Matches(@"^\+\d\d \d\d \d{4} \d{4}$", item["phone"].S);
            Assert.Matches("^[0-9]+ [A-Z][a-z]{5} [A-Z][a-z]{4}$", item["address"].M["street"].S);
            Assert.Equal("Little Whinging", item["address"].M["city"].S);
            Assert.Equal(2, item["aliases"].SS.Count);
            Assert.Matches("^u_([0-9a-f]{2})+@example\\.invalid$", item["contacts"].L[0].M["email"].S);
        }

        Assert.Equal(inA.Count, inA.Values.Select(i => i["email"].S).Distinct().Count()); // uniqueness survives
        var everything = string.Join("\n", (await Tables.ScanAllAsync(db.Client, first)).Select(ItemFactory.Canonical))
            + await File.ReadAllTextAsync(deadLetters) + a.StandardError + a.StandardOutput;
        Assert.Contains("refused", await File.ReadAllTextAsync(deadLetters), StringComparison.Ordinal);
        foreach (var original in new[] { "secret@realcorp", "realcorp.com", "refused.person", "7946", "Privet", "alias1", "nick2", "friend3" })
        {
            Assert.DoesNotContain(original, everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Transform_WithJq_SplitsOneItemIntoTwoAndDropsAnother_WithExactAccounting()
    {
        var source = await SourceAsync(300);
        var destination = await _tables.CreateAsync("jq-dst");
        // tenant-0: split in two; tenant-1: dropped; tenant-2: kept as is.
        const string Program = """jq -c 'if .Item.tenant.S == "tenant-0" then (.Item.pk.S += "-a"), (.Item.pk.S += "-b") elif .Item.tenant.S == "tenant-1" then empty else . end'""";

        var result = await DdbCopyCli.RunAsync(Copy(source, destination, "--transform", Program));

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = DdbCopyCli.Summary(result);
        Assert.Equal((300, 300, 300), (summary.GetProperty("scanned").GetInt32(), summary.GetProperty("transformIn").GetInt32(), summary.GetProperty("transformOut").GetInt32()));
        Assert.Equal(300, summary.GetProperty("written").GetInt32());
        var keys = await KeysAsync(destination);
        var expected = Enumerable.Range(0, 300).SelectMany(i => (i % 3) switch
        {
            0 => new[] { $"person-{i:0000}-a", $"person-{i:0000}-b" },
            1 => [],
            _ => [$"person-{i:0000}"],
        }).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, keys);
        Assert.Null(summary.GetProperty("checkpointFile").GetString()); // a transformed job cannot be resumed
    }

    [Fact]
    public async Task Transform_ThatExitsMidRun_StopsWithAClearMessage_AndABadLineCanBeRejected()
    {
        var source = await SourceAsync(2000);
        var destination = await _tables.CreateAsync("crash-dst");

        var crashed = await DdbCopyCli.RunAsync(Copy(source, destination, "--transform", "head -n 40; echo 'out of memory' >&2; exit 3"));

        Assert.Equal(4, crashed.ExitCode);
        var summary = DdbCopyCli.Summary(crashed);
        Assert.Contains("The --transform command", summary.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("out of memory", crashed.StandardError, StringComparison.Ordinal); // its stderr is in the log
        Assert.Equal(40, summary.GetProperty("transformOut").GetInt32());
        Assert.Equal(40, summary.GetProperty("written").GetInt32()); // what it gave back before it died is written
        Assert.Equal(40, await Tables.CountAsync(db.Client, destination));

        var rejects = Path.Combine(_folder, "transform-rejects.jsonl");
        var again = await _tables.CreateAsync("bad-line-dst");
        var rejected = await DdbCopyCli.RunAsync(Copy(source, again, "--transform", "sed '7s/.*/not an item/'", "--transformErrors", "reject", "--rejectFile", rejects));
        Assert.Equal(4, rejected.ExitCode);
        var accounts = DdbCopyCli.Summary(rejected);
        Assert.Equal((2000, 1999, 1, 1999), (accounts.GetProperty("transformIn").GetInt32(), accounts.GetProperty("transformOut").GetInt32(),
            accounts.GetProperty("rejected").GetInt32(), accounts.GetProperty("written").GetInt32()));
        Assert.Contains("\"line\":7", await File.ReadAllTextAsync(rejects), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_Preview_ShowsTheFirstItemsFilteredAndMasked()
    {
        var source = await SourceAsync(30);
        var destination = await _tables.CreateAsync("preview-dst");

        var result = await DdbCopyCli.RunWithEnvironmentAsync(MaskKey, "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint,
            "--destinationTable", destination, "--dryRun", "--preview", "3", "--mask", "email", "--filterExpression", "tenant = :t",
            "--expressionAttributeValues", """{":t":{"S":"tenant-2"}}""");

        Assert.True(result.ExitCode == 0, result.ToString());
        var items = result.StandardOutput.Split('\n').Where(l => l.StartsWith("{\"Item\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, items.Count);
        Assert.All(items, l => Assert.Contains("\"tenant\":{\"S\":\"tenant-2\"}", l, StringComparison.Ordinal));
        Assert.All(items, l => Assert.Contains("@example.invalid", l, StringComparison.Ordinal));
        Assert.DoesNotContain("secret@realcorp", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("still read and cost read capacity", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, await Tables.CountAsync(db.Client, destination));
    }

    [Fact]
    public async Task MaskKeyAttributes_OnlyWithAllowKeyChanges_GivesTheSameKeysEveryRun()
    {
        var source = await SourceAsync(100);
        var index = new GlobalSecondaryIndex
        {
            IndexName = "by-email", KeySchema = [new KeySchemaElement("email", KeyType.HASH)], Projection = new Projection { ProjectionType = ProjectionType.ALL },
            ProvisionedThroughput = new ProvisionedThroughput(1000, 1000),
        };
        var first = await _tables.CreateAsync("maskkey-a", indexes: [index], extraAttributes: [new AttributeDefinition("email", ScalarAttributeType.S)]);
        var second = await _tables.CreateAsync("maskkey-b");

        var refused = await DdbCopyCli.RunWithEnvironmentAsync(MaskKey, Copy(source, first, "--mask", "pk,email"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--mask would change the key attribute 'pk'", DdbCopyCli.Summary(refused).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await Tables.CountAsync(db.Client, first));

        var a = await DdbCopyCli.RunWithEnvironmentAsync(MaskKey, Copy(source, first, "--mask", "pk,email", "--allowKeyChanges"));
        var b = await DdbCopyCli.RunWithEnvironmentAsync(MaskKey, Copy(source, second, "--mask", "pk,email", "--allowKeyChanges"));

        Assert.True(a.ExitCode == 0 && b.ExitCode == 0, a + "\n" + b);
        var keys = await KeysAsync(first);
        Assert.Equal(100, keys.Count);
        Assert.Equal(keys, await KeysAsync(second));
        Assert.All(keys, k => Assert.Matches("^[a-z]{6}-[0-9]{4}$", k)); // "person-0042" keeps its shape
        Assert.DoesNotContain(keys, k => k.StartsWith("person-", StringComparison.Ordinal));
        // The index is keyed on the same stand-ins as the table holds.
        var byEmail = await db.Client.ScanAsync(new ScanRequest { TableName = first, IndexName = "by-email" });
        Assert.Equal(100, byEmail.Count);
        Assert.All(byEmail.Items, i => Assert.EndsWith("@example.invalid", i["email"].S, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Export_WithAFilter_HoldsOnlyTheMatchingItems_AndItsManifestSaysHowMany()
    {
        var source = await SourceAsync(300);
        var folder = Path.Combine(_folder, "tenant-2");

        var exported = await DdbCopyCli.RunAsync("export", "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--to", folder, "--output", "json",
            "--filterExpression", "tenant = :t", "--expressionAttributeValues", """{":t":{"S":"tenant-2"}}""", "--dropAttributes", "audit");

        Assert.True(exported.ExitCode == 0, exported.ToString());
        var summary = DdbCopyCli.Summary(exported);
        Assert.Equal((300, 100, 200), (summary.GetProperty("scanned").GetInt32(), summary.GetProperty("written").GetInt32(), summary.GetProperty("filtered").GetInt32()));
        var manifest = DdbCopy.Core.Formats.ExportManifest.ReadSummary(await File.ReadAllTextAsync(Path.Combine(folder, "manifest-summary.json")));
        Assert.Equal(100, manifest.ItemCount);
        var restored = await _tables.CreateAsync("tenant-2-restored");
        var imported = await DdbCopyCli.RunAsync("import", "--from", folder, "--destinationEndpoint", db.Endpoint, "--destinationTable", restored);
        Assert.True(imported.ExitCode == 0, imported.ToString());
        var items = await Tables.ScanAllAsync(db.Client, restored);
        Assert.Equal(100, items.Count);
        Assert.All(items, i => Assert.Equal("tenant-2", i["tenant"].S));
        Assert.All(items, i => Assert.False(i.ContainsKey("audit")));
    }

    private async Task<List<string>> KeysAsync(string table) =>
        (await Tables.ScanAllAsync(db.Client, table)).Select(i => i["pk"].S).Order(StringComparer.Ordinal).ToList();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
