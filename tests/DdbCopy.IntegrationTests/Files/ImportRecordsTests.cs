using System.Text;
using System.Text.Json;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Files;

[Collection(DynamoDbCollection.Name)]
public sealed class ImportRecordsTests(DynamoDbFixture db) : IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-import-").FullName;

    [Fact]
    public async Task ImportCsv_WithKeyTemplatesAndGrouping_BuildsOneItemPerOrder()
    {
        // The classic MySQL migration: one row per order line, one item per order with an attribute per product.
        var csv = Path.Combine(_folder, "orders.csv");
        await File.WriteAllTextAsync(csv, """
            customerid,orderid,productid,quantity,note,shipped
            c1,o1,apple,3,"first, with a comma",true
            c1,o1,pear,1,"first, with a comma",true
            c1,o2,apple,5,,false
            c2,o3,plum,2,"two
            lines",true
            """);
        var destination = await _tables.CreateAsync("csv-dst", rangeKey: "sk");

        var result = await DdbCopyCli.RunAsync("import", "--from", csv, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            "--attribute", "pk=CUSTOMER#${customerid}", "--attribute", "sk=ORDER#${orderid}", "--excludeColumns", "customerid,orderid",
            "--groupBy", "pk,sk", "--pivot", "productid=quantity", "--column", "quantity:N", "--column", "shipped:BOOL", "--output", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = DdbCopyCli.Summary(result);
        Assert.Equal(3, summary.GetProperty("written").GetInt32());
        var items = (await Tables.ScanAllAsync(db.Client, destination)).ToDictionary(i => i["sk"].S);
        Assert.Equal(3, items.Count);
        var first = items["ORDER#o1"];
        Assert.Equal("CUSTOMER#c1", first["pk"].S);
        Assert.Equal("3", first["apple"].N);
        Assert.Equal("1", first["pear"].N);
        Assert.Equal("first, with a comma", first["note"].S);
        Assert.True(first["shipped"].BOOL);
        Assert.False(first.ContainsKey("customerid"));
        Assert.False(first.ContainsKey("productid"));
        Assert.False(first.ContainsKey("quantity"));
        Assert.False(items["ORDER#o2"].ContainsKey("note")); // Empty cells are left out.
        Assert.Equal("two\nlines", items["ORDER#o3"]["note"].S.Replace("\r", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_WithEachKindOfBadRecord_RejectsItByFileAndLineAndWritesTheRest()
    {
        var file = Path.Combine(_folder, "mixed.jsonl");
        var big = new string('x', 410 * 1024);
        await File.WriteAllLinesAsync(file,
        [
            """{"Item":{"pk":{"S":"good-1"},"n":{"N":"1"}}}""",
            """{"Item":{"pk":{"S":"broken" """,
            """{"Item":{"pk":{"S":"wrong-type"},"n":{"N":"not-a-number"}}}""",
            """{"Item":{"other":{"S":"no key"}}}""",
            "{\"Item\":{\"pk\":{\"S\":\"too-big\"},\"s\":{\"S\":\"" + big + "\"}}}",
            """{"Item":{"pk":{"N":"7"}}}""",
            """{"pk":{"S":"good-2"}}""",
        ]);
        var destination = await _tables.CreateAsync("bad-dst");
        var rejects = Path.Combine(_folder, "rejects.jsonl");

        var result = await DdbCopyCli.RunAsync("import", "--from", file, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            "--rejectFile", rejects, "--output", "json");

        Assert.Equal(4, result.ExitCode);
        var summary = DdbCopyCli.Summary(result);
        Assert.Equal(2, summary.GetProperty("written").GetInt32());
        Assert.Equal(5, summary.GetProperty("rejected").GetInt32());
        Assert.Equal(rejects, summary.GetProperty("rejectFile").GetString());
        Assert.Contains($"{file}:2: rejected: not valid JSON", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"{file}:3: rejected: attribute 'n': 'not-a-number' is not a number", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"{file}:4: rejected: the key attribute 'pk' is missing", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"{file}:5: rejected: the item is", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"{file}:6: rejected: the key attribute 'pk' must be a non-empty S", result.StandardError, StringComparison.Ordinal);
        var lines = (await File.ReadAllLinesAsync(rejects)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([2L, 3L, 4L, 5L, 6L], lines.Select(l => l.GetProperty("line").GetInt64()));
        Assert.All(lines, l => Assert.Equal(file, l.GetProperty("file").GetString()));
        Assert.StartsWith("""{"Item":{"other""", lines[2].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(["good-1", "good-2"], (await Tables.ScanAllAsync(db.Client, destination)).Select(i => i["pk"].S).Order());
    }

    [Fact]
    public async Task Import_WithFailFast_StopsAtTheFirstBadRecord()
    {
        var file = Path.Combine(_folder, "failfast.jsonl");
        var lines = Enumerable.Range(0, 3000).Select(i => "{\"Item\":{\"pk\":{\"S\":\"item-" + i + "\"}}}").ToList();
        lines.Insert(1500, "not json at all");
        await File.WriteAllLinesAsync(file, lines);
        var destination = await _tables.CreateAsync("failfast-dst");

        var result = await DdbCopyCli.RunAsync("import", "--from", file, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            "--failFast", "--rejectFile", Path.Combine(_folder, "r.jsonl"), "--output", "json");

        Assert.Equal(4, result.ExitCode);
        var summary = DdbCopyCli.Summary(result);
        Assert.Contains($"{file}:1501: not valid JSON", summary.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("--failFast", summary.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(1500, summary.GetProperty("scanned").GetInt32());
        Assert.Equal(1500, summary.GetProperty("written").GetInt32());
        Assert.Equal(1500, await Tables.CountAsync(db.Client, destination));
    }

    [Fact]
    public async Task ImportCsv_WithBadRows_RejectsThemAndAColumnMissingFromTheHeaderStopsBeforeWriting()
    {
        var csv = Path.Combine(_folder, "people.csv.gz");
        await using (var gzip = new System.IO.Compression.GZipStream(File.Create(csv), System.IO.Compression.CompressionLevel.Fastest))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes("id,age,name\n1,30,ann\n2,old,bob\n,40,cy\n4,50\n5,60,dee\n"));
        }

        var destination = await _tables.CreateAsync("csvbad-dst");
        var result = await DdbCopyCli.RunAsync("import", "--from", csv, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            "--attribute", "pk=person-${id}", "--column", "age:N", "--rejectFile", Path.Combine(_folder, "r.jsonl"), "--output", "json");

        Assert.Equal(4, result.ExitCode);
        Assert.Equal(3, DdbCopyCli.Summary(result).GetProperty("rejected").GetInt32());
        Assert.Contains($"{csv}:3: rejected: column 'age': 'old' is not a number", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"{csv}:4: rejected: column 'id' is empty, and attribute 'pk' is made from it", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"{csv}:5: rejected: has 2 fields, the header has 3", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(["person-1", "person-5"], (await Tables.ScanAllAsync(db.Client, destination)).Select(i => i["pk"].S).Order());

        var other = await _tables.CreateAsync("csvhdr-dst");
        var missing = await DdbCopyCli.RunAsync("import", "--from", csv, "--destinationEndpoint", db.Endpoint, "--destinationTable", other,
            "--attribute", "pk=${customer}");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("the CSV header has no column 'customer' (named by --attribute pk)", missing.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, await Tables.CountAsync(db.Client, other));
    }

    [Fact]
    public async Task Import_WithBadOptions_ListsEveryProblemAndWritesNothing()
    {
        var result = await DdbCopyCli.RunAsync("import", "--from", "s3://", "--destinationTable", "t", "--format", "xml",
            "--column", "price", "--attribute", "pk", "--pivot", "a", "--schemaFile", "x.json");

        Assert.Equal(2, result.ExitCode);
        foreach (var expected in new[]
                 {
                     "--from: 's3://' names no bucket", "--format must be auto, dynamodb-json or csv", "--column 'price' is not name:TYPE",
                     "--attribute 'pk' is not name=template", "--pivot 'a' is not nameColumn=valueColumn", "--schemaFile only applies with --createDestination",
                 })
        {
            Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Import_OfACorruptCompressedFile_SaysWhichFileInOneLine()
    {
        var folder = Path.Combine(_folder, "corrupt");
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, "broken.json.gz"), [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        var destination = await _tables.CreateAsync("corrupt-dst");

        var result = await DdbCopyCli.RunAsync("import", "--from", folder, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains($"Cannot read {folder}/broken.json.gz", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
