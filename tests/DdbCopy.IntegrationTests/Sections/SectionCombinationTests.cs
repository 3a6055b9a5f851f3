using Amazon.DynamoDBv2.Model;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Sections;

/// <summary>
/// Sections where they meet other features, through the real CLI: an import in sections that creates its destination
/// (and `finish` pointed at the export), an export in sections with a filter and masking, a section whose checkpoint
/// is in S3 killed and resumed, and an S3 checkpoint that cannot be written.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class SectionCombinationTests(DynamoDbFixture db, S3Fixture s3) : IAsyncLifetime, IClassFixture<S3Fixture>
{
    private static readonly Dictionary<string, string> MaskKey = new() { ["DDBCOPY_MASK_KEY"] = "sections-mask-key-0123456789abcd" };
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-section-pairs-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<List<string>> ItemsAsync(string table) =>
        (await Tables.ScanAllAsync(db.Client, table)).Select(ItemFactory.Canonical).Order().ToList();

    [Fact]
    public async Task AnImportInSectionsThatCreatesTheDestination_CreatesItOnce_AndFinishGivenTheExportEnablesItsStream()
    {
        var source = await _tables.CreateAsync("simport-create-src", readUnits: 10_000, writeUnits: 10_000);
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(900, 200));
        await db.Client.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = source,
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = Amazon.DynamoDBv2.StreamViewType.NEW_IMAGE },
        });
        var export = $"s3://{s3.Bucket}/create-{Guid.NewGuid():N}";
        string[] s3Flags = ["--s3Endpoint", s3.Endpoint];
        var exported = await DdbCopyCli.RunAsync(["export", "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--to", export, "--segments", "4",
            "--checkpointFile", Path.Combine(_folder, "create-export.json"), .. s3Flags]);
        Assert.True(exported.ExitCode == 0, exported.ToString());
        var destination = Tables.UniqueName("simport-create-dst");

        // Both sections start at once, both find no table: one creates it, the other's CreateTable finds it there.
        var sections = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => DdbCopyCli.RunAsync(["import", "--from", export,
            "--destinationEndpoint", db.Endpoint, "--destinationTable", destination, "--createDestination", "--totalSections", "2", "--section", $"{i}",
            "--checkpointFile", Path.Combine(_folder, "create-import-{section}.json"), "--output", "json", .. s3Flags])));
        try
        {
            Assert.All(sections, r => Assert.True(r.ExitCode == 0, r.ToString()));
            Assert.Equal(900, sections.Sum(r => DdbCopyCli.Summary(r).GetProperty("written").GetInt64()));
            // A section that found no table (one, or both when they raced) names the command that finishes it.
            Assert.Contains($"left to `ddbcopy finish --schemaFile {export} --destinationTable {destination}`", sections[0].StandardError + sections[1].StandardError,
                StringComparison.Ordinal);
            Assert.Equal(await ItemsAsync(source), await ItemsAsync(destination));
            Assert.NotEqual(true, (await db.Client.DescribeTableAsync(destination)).Table.StreamSpecification?.StreamEnabled);

            // The command the sections named, as they named it: the export stands for its table definition.
            var finish = await DdbCopyCli.RunAsync(["finish", "--schemaFile", export, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
                .. s3Flags]);
            Assert.True(finish.ExitCode == 0, finish.ToString());
            Assert.Contains("stream: enabled (NEW_IMAGE)", finish.StandardOutput, StringComparison.Ordinal);
            Assert.Equal("NEW_IMAGE", (await db.Client.DescribeTableAsync(destination)).Table.StreamSpecification?.StreamViewType?.Value);
        }
        finally
        {
            await db.Client.DeleteTableAsync(destination);
        }
    }

    [Fact]
    public async Task AnExportInSectionsWithAFilterAndMasking_HoldsWhatAPlainExportWithThemHolds()
    {
        var source = await _tables.CreateAsync("sexport-shape-src", readUnits: 10_000, writeUnits: 10_000);
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(900, 200));
        string[] shaping = ["--filterExpression", "n < :k", "--expressionAttributeValues", """{":k":{"N":"600"}}""", "--mask", "payload"];
        string[] Export(string to, params string[] extra) =>
        [
            "export", "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--to", to, "--segments", "6", "--compression", "none",
            "--output", "json", .. shaping, .. extra,
        ];
        var sectioned = Path.Combine(_folder, "shaped-sections");
        var plain = Path.Combine(_folder, "shaped-plain");

        var sections = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => DdbCopyCli.RunAsync(MaskKey, TimeSpan.FromMinutes(3),
            Export(sectioned, "--totalSections", "3", "--section", $"{i}", "--checkpointFile", Path.Combine(_folder, "shaped-{section}.json")))));
        var whole = await DdbCopyCli.RunAsync(MaskKey, TimeSpan.FromMinutes(3), Export(plain, "--checkpointFile", Path.Combine(_folder, "shaped-plain.json")));

        Assert.All(sections, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.True(whole.ExitCode == 0, whole.ToString());
        Assert.Equal(600, sections.Sum(r => DdbCopyCli.Summary(r).GetProperty("written").GetInt64()));
        Assert.Equal(300, sections.Sum(r => DdbCopyCli.Summary(r).GetProperty("filtered").GetInt64()));
        var fromSections = await _tables.CreateAsync("sexport-shape-a", writeUnits: 10_000);
        var fromPlain = await _tables.CreateAsync("sexport-shape-b", writeUnits: 10_000);
        foreach (var (from, into) in new[] { (sectioned, fromSections), (plain, fromPlain) })
        {
            var import = await DdbCopyCli.RunAsync("import", "--from", from, "--destinationEndpoint", db.Endpoint, "--destinationTable", into, "--output", "json");
            Assert.True(import.ExitCode == 0, import.ToString());
        }

        var items = await ItemsAsync(fromSections);
        Assert.Equal(600, items.Count);
        Assert.Equal(await ItemsAsync(fromPlain), items);
        // Masked: no payload of the source is in the export.
        var payloads = (await Tables.ScanAllAsync(db.Client, source)).Select(i => i["payload"].S).ToHashSet();
        Assert.DoesNotContain((await Tables.ScanAllAsync(db.Client, fromSections)), i => payloads.Contains(i["payload"].S));
    }

    [Fact]
    public async Task AnExportSectionKilledAndResumed_TidiesOnlyItsOwnFiles_AndTheExportImportsExactly()
    {
        const int Items = 4_000;
        var source = await _tables.CreateAsync("sexport-kill-src", readUnits: 10_000, writeUnits: 10_000);
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(Items));
        var to = Path.Combine(_folder, "killed-export");
        var killedCheckpoint = Path.Combine(_folder, "killed-export-1.json");
        string[] Export(int section, params string[] extra) =>
        [
            "export", "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--to", to, "--totalSections", "2", "--section", $"{section}",
            "--segments", "8", "--maxFileSizeMb", "1", "--readCapacityUnits", "100", "--compression", "none",
            "--checkpointFile", Path.Combine(_folder, "killed-export-{section}.json"), "--output", "json", .. extra,
        ];

        var first = await DdbCopyCli.RunAsync(Export(0));
        Assert.True(first.ExitCode == 0, first.ToString());
        var ownFiles = Directory.GetFiles(Path.Combine(to, "data"), "s0-*").Order().ToList();
        Assert.NotEmpty(ownFiles);
        // Section 1 is killed once a data file of its own is committed (its checkpoint lists it), with more to read.
        var killed = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(3), Export(1), async process =>
        {
            await Poll.UntilAsync(() => Poll.ReadJson(killedCheckpoint) is { } c && c.TryGetProperty("files", out var files)
                && files.ValueKind == System.Text.Json.JsonValueKind.Array && files.GetArrayLength() > 0, "section 1 to commit a data file");
            process.Kill(); // SIGKILL
        });
        Assert.NotEqual(0, killed.ExitCode);
        Assert.False(File.Exists(Path.Combine(to, "manifest-summary.json")));

        var resumed = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(3), Export(1, "--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("ended last and wrote the manifest of the whole export", resumed.StandardError, StringComparison.Ordinal);
        Assert.Equal(ownFiles, Directory.GetFiles(Path.Combine(to, "data"), "s0-*").Order().ToList()); // the other section's files untouched

        var into = await _tables.CreateAsync("sexport-kill-dst", writeUnits: 10_000);
        var import = await DdbCopyCli.RunAsync("import", "--from", to, "--destinationEndpoint", db.Endpoint, "--destinationTable", into, "--output", "json");
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Equal(Items, DdbCopyCli.Summary(import).GetProperty("written").GetInt64()); // no item twice in the export
        Assert.Equal(await ItemsAsync(source), await ItemsAsync(into));
    }

    [Fact]
    public async Task ASectionWhoseCheckpointIsInS3_KilledAndResumed_CopiesEverything()
    {
        const int Items = 6_000;
        var source = await _tables.CreateAsync("s3ck-kill-src", readUnits: 10_000, writeUnits: 10_000);
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(Items, 200));
        var destination = await _tables.CreateAsync("s3ck-kill-dst", writeUnits: 10_000);
        var prefix = $"s3://{s3.Bucket}/kill-{Guid.NewGuid():N}";
        string[] Section(int i, params string[] extra) =>
        [
            "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            "--totalSections", "2", "--section", $"{i}", "--writeCapacityUnits", "1000", "--checkpointFile", prefix + "/ck-{section}.json",
            "--s3Endpoint", s3.Endpoint, "--deadLetterFile", Path.Combine(_folder, "kill-dl-{section}.jsonl"), "--output", "json", .. extra,
        ];
        static long Written(string? checkpoint) =>
            checkpoint is null ? 0 : System.Text.Json.JsonDocument.Parse(checkpoint).RootElement.GetProperty("totals").GetProperty("written").GetInt64();

        var other = DdbCopyCli.RunAsync(TimeSpan.FromMinutes(3), Section(0));
        var killed = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(3), Section(1), async process =>
        {
            await Poll.UntilAsync(async () => Written(await s3.ReadAsync(prefix + "/ck-1.json")) > 800, "section 1's checkpoint in S3 to pass 800 items");
            process.Kill(); // SIGKILL
        });
        Assert.NotEqual(0, killed.ExitCode);
        var atKill = await s3.ReadAsync(prefix + "/ck-1.json");
        Assert.Contains("\"running\"", atKill, StringComparison.Ordinal);

        var resumed = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(3), Section(1, "--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("Resuming", resumed.StandardError, StringComparison.OrdinalIgnoreCase);
        // It went on from the position in S3: it wrote less than its whole share again.
        Assert.InRange(DdbCopyCli.Summary(resumed).GetProperty("written").GetInt64(), 1, Items / 2 - 800 + 1_000);
        var first = await other;
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("\"finished\"", await s3.ReadAsync(prefix + "/ck-1.json"), StringComparison.Ordinal);
        Assert.Equal(await ItemsAsync(source), await ItemsAsync(destination));
    }

    [Fact]
    public async Task AnS3CheckpointThatCannotBeWritten_IsRefusedBeforeAnythingIsWritten()
    {
        var source = await db.SharedSourceAsync();
        var destination = await _tables.CreateAsync("s3ck-refused-dst", writeUnits: 10_000);

        var result = await DdbCopyCli.RunAsync("--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint,
            "--destinationTable", destination, "--totalSections", "2", "--section", "0", "--checkpointFile", "s3://no-such-bucket-here/ck-{section}.json",
            "--s3Endpoint", s3.Endpoint);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("s3://no-such-bucket-here/ck-0.json", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(await Tables.ScanAllAsync(db.Client, destination));
    }
}
