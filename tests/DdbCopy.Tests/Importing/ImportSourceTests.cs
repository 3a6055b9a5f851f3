using DdbCopy.Core.Aws;
using DdbCopy.Core.Sources.Files;
using DdbCopy.Core.Storage;

namespace DdbCopy.Tests.Importing;

public sealed class ImportSourceTests : IDisposable
{
    private static readonly SideSpec NoS3 = new(new EndpointSpec(null, "us-east-1", false), null);

    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-source-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Write(string name, string text = "")
    {
        var path = Path.Combine(_folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private Task<ImportSource> ResolveAsync(string? path = null) =>
        ImportSource.ResolveAsync(StorageLocation.TryParse(path ?? _folder, out _)!, NoS3, default);

    [Fact]
    public async Task Resolve_AFolderWithoutManifest_ReadsItsDataFilesButNotManifestsOrMarkers()
    {
        // A legacy Data Pipeline export folder: data files, a "manifest" and a "_SUCCESS" marker.
        Write("manifest", """{"name":"DynamoDB-export","version":3,"entries":[]}""");
        Write("_SUCCESS");
        Write("5d2bf6b3-9d6a-4b1e-8a85-1f1b5f3b2f11", """{"pk":{"s":"a"}}""");

        using var source = await ResolveAsync();

        Assert.Null(source.Summary);
        Assert.Equal(["5d2bf6b3-9d6a-4b1e-8a85-1f1b5f3b2f11"], source.Files.Select(f => f.Name));
    }

    [Theory]
    [InlineData("ddbcopy-table.json")]
    [InlineData("_started")]
    [InlineData("data/01-000002.json.gz.partial")]
    [InlineData("AWSDynamoDB/0170-abc/manifest-files.json")]
    public async Task Resolve_AnExportThatDidNotFinish_IsRefusedUnlessAllowedAndThenReadsOnlyItsFinishedDataFiles(string marker)
    {
        Write("data/01-000001.json.gz", "");
        Write(marker, "{}");

        var refused = await Assert.ThrowsAsync<DdbCopyException>(() => ResolveAsync());
        Assert.Contains("did not finish", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--allowIncompleteExport", refused.Message, StringComparison.Ordinal);

        using var source = await ImportSource.ResolveAsync(StorageLocation.TryParse(_folder, out _)!, NoS3, default, allowIncomplete: true);
        Assert.Contains("data/01-000001.json.gz", source.Files.Select(f => f.Name));
        Assert.DoesNotContain(source.Files, f => f.Name.EndsWith(".partial", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resolve_AnAwsExportPrefix_FindsItsOneExportAndMapsKeysToItsDataFolder()
    {
        Write("AWSDynamoDB/0170-abc/manifest-summary.json", """{"itemCount":1,"outputFormat":"DYNAMODB_JSON"}""");
        Write("AWSDynamoDB/0170-abc/manifest-files.json", """{"itemCount":1,"md5Checksum":"x","dataFileS3Key":"some/prefix/AWSDynamoDB/0170-abc/data/f1.json.gz"}""");

        using var source = await ResolveAsync();

        Assert.Equal(1, source.Summary!.ItemCount);
        var file = Assert.Single(source.Files);
        Assert.Equal("AWSDynamoDB/0170-abc/data/f1.json.gz", file.Name);
        Assert.Equal("x", file.Md5Checksum);
    }

    [Fact]
    public async Task Resolve_WhenTheExportIsNotDynamoDbJson_SaysWhichFormatItIs()
    {
        Write("manifest-summary.json", """{"itemCount":1,"outputFormat":"ION"}""");
        Write("manifest-files.json");

        var error = await Assert.ThrowsAsync<DdbCopyException>(() => ResolveAsync());

        Assert.Contains("the export's format is ION", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_AnIncrementalExport_IsRefused()
    {
        Write("manifest-summary.json", """{"itemCount":1,"outputFormat":"DYNAMODB_JSON","exportType":"INCREMENTAL_EXPORT"}""");
        Write("manifest-files.json");

        var error = await Assert.ThrowsAsync<DdbCopyException>(() => ResolveAsync());

        Assert.Contains("the export is an INCREMENTAL_EXPORT; ddbcopy imports full exports", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_SeveralExports_AsksForOne()
    {
        Write("AWSDynamoDB/a/manifest-summary.json", "{}");
        Write("AWSDynamoDB/b/manifest-summary.json", "{}");

        var error = await Assert.ThrowsAsync<DdbCopyException>(() => ResolveAsync());

        Assert.Contains("holds 2 exports", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_AMissingPath_SaysItDoesNotExist()
    {
        var error = await Assert.ThrowsAsync<DdbCopyException>(() => ResolveAsync(Path.Combine(_folder, "nope")));

        Assert.Equal(FailureKind.Environment, error.Kind);
        Assert.EndsWith("does not exist.", error.Message, StringComparison.Ordinal);
    }
}
