using DdbCopy.Core.Formats;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Files;

/// <summary>
/// An export in sections through the real CLI: 3 processes write one export (to a folder and to S3), which is whole
/// only once every section ended (the last one writes the manifest, or `ddbcopy finish --export` does); it then
/// imports exactly, in 2 import sections and in one plain import.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class SectionedExportTests(DynamoDbFixture db, S3Fixture s3) : IAsyncLifetime, IClassFixture<S3Fixture>
{
    private const int Items = 3_000;
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-sectioned-export-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task AssertSameItemsAsync(string source, string destination)
    {
        var expected = (await Tables.ScanAllAsync(db.Client, source)).Select(ItemFactory.Canonical).Order().ToList();
        var actual = (await Tables.ScanAllAsync(db.Client, destination)).Select(ItemFactory.Canonical).Order().ToList();
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("folder")]
    [InlineData("s3")]
    public async Task AnExportInThreeSections_IsOneExport_ThatImportsExactly_InTwoImportSectionsAndInOne(string where)
    {
        var source = await _tables.CreateAsync("sexport-src", readUnits: 10_000, writeUnits: 10_000);
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(Items, 200));
        var to = where == "s3" ? $"s3://{s3.Bucket}/sections-{Guid.NewGuid():N}" : Path.Combine(_folder, "export");
        string[] s3Flags = ["--s3Endpoint", s3.Endpoint];
        string[] Export(int section) =>
        [
            "export", "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--to", to, "--totalSections", "3", "--section", $"{section}",
            "--segments", "6", "--checkpointFile", Path.Combine(_folder, $"{where}-export-{{section}}.json"), "--compression", "none", "--output", "json", .. s3Flags,
        ];
        async Task<string?> ReadAsync(string name)
        {
            if (where != "s3")
            {
                return File.Exists(Path.Combine(to, name)) ? await File.ReadAllTextAsync(Path.Combine(to, name)) : null;
            }

            return await s3.ReadAsync(to + "/" + name);
        }

        // Two sections end; the export is not whole yet: importers refuse it, finish names the missing section.
        var first = await Task.WhenAll(new[] { 0, 1 }.Select(i => DdbCopyCli.RunAsync(Export(i))));
        Assert.All(first, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Null(await ReadAsync(ExportManifest.SummaryName));
        var early = await DdbCopyCli.RunAsync(["finish", "--export", to, .. s3Flags]);
        Assert.Equal(3, early.ExitCode);
        Assert.Contains("is not whole yet: section 2 of 3 has not finished", early.StandardError, StringComparison.Ordinal);
        var unfinished = await DdbCopyCli.RunAsync(["import", "--from", to, "--destinationEndpoint", db.Endpoint, "--destinationTable", "nowhere", .. s3Flags]);
        Assert.Equal(3, unfinished.ExitCode);
        Assert.Contains("did not finish", unfinished.StandardError, StringComparison.Ordinal);

        // The last section to end writes the manifest of the whole export; finish then has nothing to do.
        var last = await DdbCopyCli.RunAsync(Export(2));
        Assert.True(last.ExitCode == 0, last.ToString());
        Assert.Contains("section 2 of 3 ended last and wrote the manifest of the whole export", last.StandardError, StringComparison.Ordinal);
        var written = first.Concat([last]).Select(r => DdbCopyCli.Summary(r).GetProperty("written").GetInt64()).ToList();
        Assert.All(written, w => Assert.InRange(w, 1, Items - 1));
        Assert.Equal(Items, written.Sum());
        var summary = ExportManifest.ReadSummary((await ReadAsync(ExportManifest.SummaryName))!);
        var files = ExportManifest.ReadFiles((await ReadAsync(ExportManifest.FilesName))!);
        Assert.Equal(Items, summary.ItemCount);
        Assert.Equal(Items, files.Sum(f => f.ItemCount));
        Assert.All(new[] { "s0-", "s1-", "s2-" }, prefix => Assert.Contains(files, f => f.DataFileS3Key.Contains("data/" + prefix, StringComparison.Ordinal)));
        var again = await DdbCopyCli.RunAsync(["finish", "--export", to, .. s3Flags]);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("is already one whole export (3000 items", again.StandardOutput, StringComparison.Ordinal);

        // Imported in two sections (every other data file each), and plainly: the same items as the table.
        var halves = await _tables.CreateAsync("sexport-halves", writeUnits: 10_000);
        var imports = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => DdbCopyCli.RunAsync(["import", "--from", to, "--destinationEndpoint", db.Endpoint,
            "--destinationTable", halves, "--totalSections", "2", "--section", $"{i}", "--checkpointFile", Path.Combine(_folder, $"{where}-import-{{section}}.json"),
            "--output", "json", .. s3Flags])));
        Assert.All(imports, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.All(imports, r => Assert.InRange(DdbCopyCli.Summary(r).GetProperty("written").GetInt64(), 1, Items - 1));
        Assert.Equal(Items, imports.Sum(r => DdbCopyCli.Summary(r).GetProperty("written").GetInt64()));
        await AssertSameItemsAsync(source, halves);

        var whole = await _tables.CreateAsync("sexport-whole", writeUnits: 10_000);
        var plain = await DdbCopyCli.RunAsync(["import", "--from", to, "--destinationEndpoint", db.Endpoint, "--destinationTable", whole, "--output", "json", .. s3Flags]);
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Contains($"Checked {files.Count} data files against the manifest", plain.StandardError, StringComparison.Ordinal);
        await AssertSameItemsAsync(source, whole);
    }

    [Fact]
    public async Task FinishExport_WritesTheManifest_WhenTheLastSectionCouldNot()
    {
        var source = await _tables.CreateAsync("sexport-fin", readUnits: 10_000, writeUnits: 10_000);
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(600, 200));
        var to = Path.Combine(_folder, "finish");
        var runs = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => DdbCopyCli.RunAsync("export", "--sourceEndpoint", db.Endpoint, "--sourceTable", source,
            "--to", to, "--totalSections", "2", "--section", $"{i}", "--segments", "4", "--checkpointFile", Path.Combine(_folder, "fin-{section}.json"))));
        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.ToString()));

        // As if the last section was stopped between its part and the whole manifest.
        File.Delete(Path.Combine(to, ExportManifest.SummaryName));
        File.Delete(Path.Combine(to, ExportManifest.FilesName));
        var finish = await DdbCopyCli.RunAsync("finish", "--export", to);

        Assert.True(finish.ExitCode == 0, finish.ToString());
        Assert.Contains($"Wrote the manifest of the whole export: {to} holds 600 items", finish.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(600, ExportManifest.ReadSummary(File.ReadAllText(Path.Combine(to, ExportManifest.SummaryName))).ItemCount);
    }
}
