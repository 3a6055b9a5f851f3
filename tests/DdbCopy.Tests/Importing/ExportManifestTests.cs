using DdbCopy.Core.Formats;

namespace DdbCopy.Tests.Importing;

public sealed class ExportManifestTests
{
    [Fact]
    public void Manifests_RoundTripAndUseAwsFieldNames()
    {
        var summary = new ManifestSummary { ItemCount = 42, S3Bucket = "b", S3Prefix = "p", ManifestFilesS3Key = "p/manifest-files.json" };
        var files = new[] { new ManifestFile { ItemCount = 42, Md5Checksum = "abc=", DataFileS3Key = "p/data/00-000001.json.gz" } };

        var summaryText = ExportManifest.WriteSummary(summary);
        var filesText = ExportManifest.WriteFiles(files);

        Assert.Contains("\"itemCount\": 42", summaryText, StringComparison.Ordinal);
        Assert.Contains("\"outputFormat\": \"DYNAMODB_JSON\"", summaryText, StringComparison.Ordinal);
        Assert.Contains("\"exportType\": \"FULL_EXPORT\"", summaryText, StringComparison.Ordinal);
        Assert.Equal("{\"itemCount\":42,\"md5Checksum\":\"abc=\",\"dataFileS3Key\":\"p/data/00-000001.json.gz\"}\n", filesText);
        Assert.Equal(summary, ExportManifest.ReadSummary(summaryText));
        Assert.Equal(files, ExportManifest.ReadFiles(filesText));
    }

    [Fact]
    public void Summary_WritesTimesAsAwsDoes()
    {
        var time = ManifestSummary.Time(new DateTimeOffset(2020, 11, 4, 8, 28, 34, 28, TimeSpan.FromHours(1)).AddTicks(4321));

        var text = ExportManifest.WriteSummary(new ManifestSummary { ExportTime = time });

        Assert.Contains("\"exportTime\": \"2020-11-04T07:28:34.028Z\"", text, StringComparison.Ordinal);
        Assert.Equal(time, ExportManifest.ReadSummary("{\"exportTime\":\"2020-11-04T07:28:34.028Z\",\"itemCount\":0}").ExportTime);
    }

    [Theory]
    [InlineData("{\"itemCount\":1}", "line 1 of the file manifest has no dataFileS3Key")]
    [InlineData("\n{not json", "line 2 of the file manifest is not valid JSON")]
    public void ReadFiles_SaysWhichLineIsWrong(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ExportManifest.ReadFiles(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DataCompression.Gzip)]
    [InlineData(DataCompression.Zstd)]
    [InlineData(DataCompression.None)]
    public void Compression_RoundTripsAndIsRecognisedByItsFirstBytes(DataCompression compression)
    {
        using var buffer = new MemoryStream();
        using (var compressing = DataCompressions.Compress(buffer, compression))
        {
            compressing.Write("{\"Item\":{}}\n"u8);
        }

        var bytes = buffer.ToArray();
        Assert.Equal(compression, DataCompressions.Detect("no-extension", bytes));
        Assert.Equal(compression, DataCompressions.Detect("x" + DataCompressions.Extension(compression), []));
        using var reader = new StreamReader(DataCompressions.Decompress(new MemoryStream(bytes), compression));
        Assert.Equal("{\"Item\":{}}\n", reader.ReadToEnd());
    }
}
