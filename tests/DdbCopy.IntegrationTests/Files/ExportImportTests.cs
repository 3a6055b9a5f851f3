using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Schema;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace DdbCopy.IntegrationTests.Files;

[Collection(DynamoDbCollection.Name)]
public sealed class ExportImportTests(DynamoDbFixture db, S3Fixture s3) : IAsyncLifetime, IClassFixture<S3Fixture>
{
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-export-").FullName;

    [Theory]
    [InlineData("gzip", ".json.gz")]
    [InlineData("zstd", ".json.zst")]
    [InlineData("none", ".json")]
    public async Task ExportThenImport_WithCreateDestination_GivesTheSameItemsAndDefinition(string compression, string extension)
    {
        var source = await CreateSourceWithIndexAsync("roundtrip-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.EveryType().Concat(ItemFactory.Many(500)));
        var to = Path.Combine(_folder, compression);

        var export = await DdbCopyCli.RunAsync("export", "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--to", to,
            "--compression", compression, "--output", "json");

        Assert.True(export.ExitCode == 0, export.ToString());
        var expectedCount = ItemFactory.EveryType().Count + 500;
        Assert.Equal(expectedCount, DdbCopyCli.Summary(export).GetProperty("written").GetInt32());
        var summary = ExportManifest.ReadSummary(File.ReadAllText(Path.Combine(to, ExportManifest.SummaryName)));
        Assert.Equal(expectedCount, summary.ItemCount);
        Assert.Equal("DYNAMODB_JSON", summary.OutputFormat);
        var files = ExportManifest.ReadFiles(File.ReadAllText(Path.Combine(to, ExportManifest.FilesName)));
        Assert.Equal(expectedCount, files.Sum(f => f.ItemCount));
        foreach (var file in files)
        {
            Assert.EndsWith(extension, file.DataFileS3Key, StringComparison.Ordinal);
            var bytes = File.ReadAllBytes(Path.Combine(to, file.DataFileS3Key));
            Assert.Equal(Convert.ToBase64String(MD5.HashData(bytes)), file.Md5Checksum);
        }

        Assert.True(File.Exists(Path.Combine(to, ExportManifest.SchemaName)));
        var destination = Name("roundtrip-dst");
        var import = await DdbCopyCli.RunAsync("import", "--from", to, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            "--createDestination", "--output", "json");

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains($"Checked {files.Count} data files against the manifest", import.StandardError, StringComparison.Ordinal);
        await AssertSameItemsAsync(source, destination);
        var expected = await TableDefinitionReader.ReadAsync(db.Client, source, NullLogger.Instance, default);
        var actual = await TableDefinitionReader.ReadAsync(db.Client, destination, NullLogger.Instance, default);
        Assert.Empty(SchemaDiff.Compare(expected, actual));
    }

    [Fact]
    public async Task ExportThenImport_ThroughS3_UploadsLargeFilesInPartsAndRoundTrips()
    {
        var source = await _tables.CreateAsync("s3-src", readUnits: 10_000, writeUnits: 10_000);
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(12_000));
        var prefix = $"exports/{Guid.NewGuid():N}";

        var export = await DdbCopyCli.RunAsync("export", "--sourceEndpoint", db.Endpoint, "--sourceTable", source,
            "--to", $"s3://{s3.Bucket}/{prefix}", "--s3Endpoint", s3.Endpoint, "--compression", "none", "--s3PartSizeMb", "5", "--output", "json");

        Assert.True(export.ExitCode == 0, export.ToString());
        using var client = s3.CreateClient();
        var listed = await client.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = s3.Bucket, Prefix = prefix + "/" });
        var keys = listed.S3Objects.Select(o => o.Key).ToList();
        Assert.Contains($"{prefix}/{ExportManifest.SummaryName}", keys);
        Assert.Contains($"{prefix}/{ExportManifest.SchemaName}", keys);
        var data = listed.S3Objects.Where(o => o.Key.StartsWith($"{prefix}/data/", StringComparison.Ordinal)).ToList();
        var large = data.Where(o => o.Size > 5L << 20).ToList();
        Assert.True(large.Count > 0, $"no data file is large enough to need a multipart upload: {string.Join(", ", data.Select(d => d.Size))}");
        Assert.All(large, o => Assert.Matches("-[0-9]+\"?$", o.ETag)); // A multipart upload's ETag ends with its number of parts.
        using (var manifest = await client.GetObjectAsync(s3.Bucket, $"{prefix}/{ExportManifest.FilesName}"))
        using (var reader = new StreamReader(manifest.ResponseStream))
        {
            var entries = ExportManifest.ReadFiles(await reader.ReadToEndAsync());
            Assert.Equal(data.Select(d => d.Key).Order(), entries.Select(e => e.DataFileS3Key).Order());
            Assert.Equal(12_000, entries.Sum(e => e.ItemCount));
        }

        var destination = Name("s3-dst");
        var import = await DdbCopyCli.RunAsync("import", "--from", $"s3://{s3.Bucket}/{prefix}", "--s3Endpoint", s3.Endpoint,
            "--destinationEndpoint", db.Endpoint, "--destinationTable", destination, "--createDestination", "--output", "json");

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Equal(12_000, DdbCopyCli.Summary(import).GetProperty("written").GetInt32());
        await AssertSameItemsAsync(source, destination);

        // A single object (a dead-letter file kept on S3, say) imports as a file.
        await client.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
        {
            BucketName = s3.Bucket,
            Key = $"{prefix}-single/retry.jsonl",
            ContentBody = string.Join("\n", ItemFactory.Many(3).Select(DynamoDbJson.ToJsonLine)),
        });
        var single = await _tables.CreateAsync("s3-single-dst");
        var one = await DdbCopyCli.RunAsync("import", "--from", $"s3://{s3.Bucket}/{prefix}-single/retry.jsonl", "--s3Endpoint", s3.Endpoint,
            "--destinationEndpoint", db.Endpoint, "--destinationTable", single, "--output", "json");
        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.Equal(3, await Tables.CountAsync(db.Client, single));
    }

    [Fact]
    public async Task Import_OfAnAwsNativeExportLayout_ChecksTheManifestAndWritesEveryItem()
    {
        // The layout AWS documents for an export to s3://bucket/prefix: prefix/AWSDynamoDB/<export id>/...
        var exportFolder = Path.Combine(_folder, "AWSDynamoDB", "01700000000000-a1b2c3d4");
        Directory.CreateDirectory(Path.Combine(exportFolder, "data"));
        var items = ItemFactory.EveryType().Take(4).ToList();
        var files = new List<string>();
        for (var f = 0; f < 2; f++)
        {
            var name = $"data/{(f == 0 ? "bx3lrvx7xyqg5j3ejtsn4gfnde" : "pbqgkezgtm4mfeqjb4b4f7hcri")}.json.gz";
            var lines = items.Skip(f * 2).Take(2).Select(DynamoDbJson.ToJsonLine);
            var bytes = Gzip(string.Join("\n", lines) + "\n");
            await File.WriteAllBytesAsync(Path.Combine(exportFolder, name), bytes);
            files.Add(JsonSerializer.Serialize(new
            {
                itemCount = 2,
                md5Checksum = Convert.ToBase64String(MD5.HashData(bytes)),
                etag = Convert.ToHexStringLower(MD5.HashData(bytes)),
                dataFileS3Key = $"prefix/AWSDynamoDB/01700000000000-a1b2c3d4/{name}",
            }));
        }

        await File.WriteAllTextAsync(Path.Combine(exportFolder, "manifest-files.json"), string.Join("\n", files) + "\n");
        await File.WriteAllTextAsync(Path.Combine(exportFolder, "manifest-summary.json"), """
            {"version":"2020-06-30","exportArn":"arn:aws:dynamodb:us-east-1:123456789012:table/Orders/export/01700000000000-a1b2c3d4",
             "startTime":"2026-11-01T07:28:34.028Z","endTime":"2026-11-01T07:33:43.897Z","tableArn":"arn:aws:dynamodb:us-east-1:123456789012:table/Orders",
             "tableId":"12345a12-abcd-123a-ab12-1234abc12345","exportTime":"2026-11-01T07:28:34.028Z","s3Bucket":"bucket","s3Prefix":"prefix",
             "s3SseAlgorithm":"AES256","s3SseKmsKeyId":null,"manifestFilesS3Key":"prefix/AWSDynamoDB/01700000000000-a1b2c3d4/manifest-files.json",
             "billedSizeBytes":0,"itemCount":4,"outputFormat":"DYNAMODB_JSON","exportType":"FULL_EXPORT"}
            """);
        await File.WriteAllTextAsync(Path.Combine(exportFolder, "_started"), "");
        var destination = await _tables.CreateAsync("native-dst");
        var reference = await _tables.CreateAsync("native-ref");
        await Tables.PutAllAsync(db.Client, reference, items);

        // --from names the export prefix; the one export under AWSDynamoDB/ is found.
        var result = await DdbCopyCli.RunAsync("import", "--from", _folder, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            "--output", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(4, DdbCopyCli.Summary(result).GetProperty("written").GetInt32());
        await AssertSameItemsAsync(reference, destination);
    }

    [Fact]
    public async Task Import_WhenADataFileDoesNotMatchTheManifest_StopsBeforeWritingAnything()
    {
        var source = await _tables.CreateAsync("tamper-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(300));
        var export = await DdbCopyCli.RunAsync("export", "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--to", _folder);
        Assert.True(export.ExitCode == 0, export.ToString());
        var dataFile = Directory.GetFiles(Path.Combine(_folder, "data")).First();
        var bytes = await File.ReadAllBytesAsync(dataFile);
        bytes[bytes.Length / 2] ^= 0x20;
        await File.WriteAllBytesAsync(dataFile, bytes);
        var destination = await _tables.CreateAsync("tamper-dst");

        var result = await DdbCopyCli.RunAsync("import", "--from", _folder, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("does not match the manifest", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("nothing was written", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, await Tables.CountAsync(db.Client, destination));
    }

    [Fact]
    public async Task Export_WhenInterrupted_LeavesNoManifestThatClaimsCompleteness()
    {
        var source = await db.SharedSourceAsync();

        // 20 RCU/s reads the 20,000 shared items in minutes: stop it after a few seconds of data files.
        var result = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(2),
            ["export", "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--to", _folder, "--readCapacityUnits", "40",
             "--maxFileSizeMb", "1", "--output", "json"],
            async process =>
            {
                await Task.Delay(TimeSpan.FromSeconds(4));
                using var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
            });

        Assert.Equal(130, result.ExitCode);
        var summary = DdbCopyCli.Summary(result);
        Assert.True(summary.GetProperty("interrupted").GetBoolean());
        Assert.InRange(summary.GetProperty("written").GetInt32(), 1, DynamoDbFixture.SharedItemCount - 1);
        Assert.False(File.Exists(Path.Combine(_folder, ExportManifest.SummaryName)));
        Assert.False(File.Exists(Path.Combine(_folder, ExportManifest.FilesName)));
        Assert.Empty(Directory.GetFiles(_folder, "*.partial", SearchOption.AllDirectories));
        Assert.Contains("no manifest was written", result.StandardError, StringComparison.Ordinal);

        // Importing what is there without a manifest is possible, but ddbcopy does not take it for a complete export.
        var again = await DdbCopyCli.RunAsync("export", "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--to", _folder);
        Assert.Equal(3, again.ExitCode);
        Assert.Contains("is not empty", again.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_ToS3_KilledPartWay_ResumesAndImportsExactly()
    {
        var source = await db.SharedSourceAsync();
        var to = $"s3://{s3.Bucket}/resumed";
        var checkpoint = Path.Combine(_folder, "s3-export.checkpoint.json");
        string[] export = ["export", "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--to", to, "--s3Endpoint", s3.Endpoint,
            "--readCapacityUnits", "400", "--maxFileSizeMb", "1", "--segments", "4", "--checkpointFile", checkpoint, "--output", "json"];

        // Killed once the checkpoint lists two committed data files.
        var killed = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(2), export, async process =>
        {
            var watch = Stopwatch.StartNew();
            while (!process.HasExited && watch.Elapsed < TimeSpan.FromMinutes(1) && CommittedFiles(checkpoint) < 2)
            {
                await Task.Delay(20);
            }

            process.Kill();
        });
        var resumed = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(3), [.. export, "--resume"]);

        Assert.NotEqual(0, killed.ExitCode);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.InRange(DdbCopyCli.Summary(resumed).GetProperty("resumed").GetInt64(), 1, DynamoDbFixture.SharedItemCount - 1);
        var destination = await _tables.CreateAsync("s3-resumed-dst", writeUnits: 10_000);
        var import = await DdbCopyCli.RunAsync("import", "--from", to, "--s3Endpoint", s3.Endpoint, "--destinationEndpoint", db.Endpoint,
            "--destinationTable", destination, "--checkpointFile", Path.Combine(_folder, "s3-import.checkpoint.json"));
        Assert.True(import.ExitCode == 0, import.ToString());
        await AssertSameItemsAsync(source, destination);
    }

    private static int CommittedFiles(string checkpoint)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(checkpoint));
            return document.RootElement.TryGetProperty("files", out var files) ? files.GetArrayLength() : 0;
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException)
        {
            return 0;
        }
    }

    private async Task<string> CreateSourceWithIndexAsync(string prefix) =>
        await _tables.CreateAsync(prefix, indexes:
            [
                new GlobalSecondaryIndex
                {
                    IndexName = "by-g",
                    KeySchema = [new KeySchemaElement("g", KeyType.HASH)],
                    Projection = new Amazon.DynamoDBv2.Model.Projection { ProjectionType = ProjectionType.KEYS_ONLY },
                    ProvisionedThroughput = new ProvisionedThroughput(100, 100),
                },
            ],
            extraAttributes: [new AttributeDefinition("g", ScalarAttributeType.S)]);

    private async Task AssertSameItemsAsync(string source, string destination)
    {
        var expected = (await Tables.ScanAllAsync(db.Client, source)).Select(ItemFactory.Canonical).Order().ToList();
        var actual = (await Tables.ScanAllAsync(db.Client, destination)).Select(ItemFactory.Canonical).Order().ToList();
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected, actual);
    }

    private string Name(string prefix)
    {
        var name = Tables.UniqueName(prefix);
        _created.Add(name);
        return name;
    }

    private readonly List<string> _created = [];

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        foreach (var name in _created)
        {
            try
            {
                await db.Client.DeleteTableAsync(name);
            }
            catch (ResourceNotFoundException)
            {
            }
        }

        Directory.Delete(_folder, recursive: true);
    }
}
