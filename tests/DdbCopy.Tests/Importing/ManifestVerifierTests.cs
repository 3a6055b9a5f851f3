using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Sources.Files;
using DdbCopy.Core.Storage;

namespace DdbCopy.Tests.Importing;

public sealed class ManifestVerifierTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-verify-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (string Name, byte[] Bytes) DataFile(string name, int items)
    {
        var text = string.Concat(Enumerable.Range(0, items).Select(i => "{\"Item\":{\"pk\":{\"S\":\"" + i + "\"}}}\n"));
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        var bytes = buffer.ToArray();
        Directory.CreateDirectory(Path.Combine(_folder, "data"));
        File.WriteAllBytes(Path.Combine(_folder, "data", name), bytes);
        return ($"data/{name}", bytes);
    }

    private ImportSource Source(ManifestSummary? summary, params InputFile[] files) => new(new DirectoryStore(_folder), files, summary, null);

    [Fact]
    public async Task Verify_AcceptsBase64OrHexChecksumsAndMatchingCounts()
    {
        var a = DataFile("a.json.gz", 3);
        var b = DataFile("b.json.gz", 2);
        using var source = Source(new ManifestSummary { ItemCount = 5 },
            new InputFile(a.Name, 3, Convert.ToBase64String(MD5.HashData(a.Bytes))),
            new InputFile(b.Name, 2, Convert.ToHexString(MD5.HashData(b.Bytes))));

        Assert.Equal(5, await ManifestVerifier.VerifyAsync(source, default));
    }

    [Fact]
    public async Task Verify_WhenAChecksumDiffers_SaysWhichFileAndThatNothingWasWritten()
    {
        var a = DataFile("a.json.gz", 3);
        using var source = Source(null, new InputFile(a.Name, 3, Convert.ToBase64String(MD5.HashData([1, 2, 3]))));

        var error = await Assert.ThrowsAsync<DdbCopyException>(() => ManifestVerifier.VerifyAsync(source, default));

        Assert.Equal(FailureKind.Environment, error.Kind);
        Assert.Contains("data/a.json.gz does not match the manifest: its MD5 is", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("nothing was written.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4, 3, "it holds 3 items but the manifest says 4")]
    [InlineData(3, 9, "the data files hold 3 items but manifest-summary.json says 9")]
    public async Task Verify_WhenCountsDiffer_Refuses(long fileCount, long summaryCount, string expected)
    {
        var a = DataFile("a.json.gz", 3);
        using var source = Source(new ManifestSummary { ItemCount = summaryCount }, new InputFile(a.Name, fileCount, null));

        var error = await Assert.ThrowsAsync<DdbCopyException>(() => ManifestVerifier.VerifyAsync(source, default));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WhenAFileIsMissing_SaysItCannotBeRead()
    {
        using var source = Source(null, new InputFile("data/gone.json.gz", 1, null));

        var error = await Assert.ThrowsAsync<DdbCopyException>(() => ManifestVerifier.VerifyAsync(source, default));

        Assert.Contains("data/gone.json.gz does not match the manifest: it cannot be read", error.Message, StringComparison.Ordinal);
    }
}
