using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Formats;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Hardening;

/// <summary>
/// No bad record aborts a run and none disappears: items DynamoDB refuses are isolated and reported by file and line
/// (import) or dead-lettered with the reason (copy); damaged CSV costs only its own records; input that cannot be
/// right (an export that did not finish, data for another key schema) is refused before the first write.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class BadRecordTests(DynamoDbFixture db) : IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-bad-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Items the JSON reader accepts but DynamoDB refuses, each with the reason it gives.</summary>
    private static readonly (string Line, string Why)[] Refused =
    [
        ("""{"Item":{"pk":{"S":"bad-dup"},"tags":{"SS":["a","a"]}}}""", "duplicate in a set"),
        ("""{"Item":{"pk":{"S":"bad-empty"},"tags":{"SS":[]}}}""", "empty set"),
        ("""{"Item":{"pk":{"S":"bad-range"},"n":{"N":"1E+200"}}}""", "number out of range"),
        ("""{"Item":{"pk":{"S":"bad-mapkey"},"m":{"M":{"":{"S":"x"}}}}}""", "empty map key"),
        ("""{"Item":{"pk":{"S":"bad-precision"},"n":{"N":"1.000000000000000000000000000000000000000001"}}}""", "more than 38 digits"),
    ];

    [Fact]
    public async Task Import_WithItemsDynamoDbRefuses_WritesEveryOtherItemAndRejectsEachByFileAndLine()
    {
        var destination = await _tables.CreateAsync("refused-import");
        var good = ItemFactory.Many(60).Select(DynamoDbJson.ToJsonLine).ToList();
        var lines = new List<string>(good);
        var badLines = new List<int>();
        for (var i = 0; i < Refused.Length; i++)
        {
            var at = 7 + (i * 11); // spread over several batches
            lines.Insert(at, Refused[i].Line);
            badLines.Add(at + 1);
        }

        var file = Path.Combine(_folder, "items.jsonl");
        await File.WriteAllLinesAsync(file, lines);
        var rejects = Path.Combine(_folder, "rejects.jsonl");

        var result = await DdbCopyCli.RunAsync("import", "--from", file, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            "--rejectFile", rejects, "--output", "json");

        Assert.True(result.ExitCode == 4, result.ToString());
        var summary = DdbCopyCli.Summary(result);
        Assert.Equal(60, summary.GetProperty("written").GetInt32());
        Assert.Equal(Refused.Length, summary.GetProperty("rejected").GetInt32());
        Assert.Equal(0, summary.GetProperty("unconfirmed").GetInt32());
        Assert.Equal(60, await Tables.CountAsync(db.Client, destination));
        var rejected = File.ReadLines(rejects).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(badLines, rejected.Select(r => r.GetProperty("line").GetInt32()).Order());
        Assert.All(rejected, r => Assert.Contains("ValidationException", r.GetProperty("reason").GetString(), StringComparison.Ordinal));
        foreach (var line in badLines)
        {
            Assert.Contains($"{file}:{line}: rejected: DynamoDB refused the item: ValidationException", result.StandardError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Copy_WithItemsTheDestinationRefuses_DeadLettersThemWithTheReasonAndReImportingThemEndsToo()
    {
        // The keys match, but the destination indexes 'score' as a string: items whose 'score' is a number are refused.
        var source = await _tables.CreateAsync("refused-src");
        var destination = await _tables.CreateAsync("refused-dst",
            indexes: [new GlobalSecondaryIndex
            {
                IndexName = "by-score",
                KeySchema = [new KeySchemaElement("score", KeyType.HASH)],
                Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
                ProvisionedThroughput = new ProvisionedThroughput(1000, 1000),
            }],
            extraAttributes: [new AttributeDefinition("score", ScalarAttributeType.S)]);
        var items = ItemFactory.Many(200).ToList();
        foreach (var item in items.Where((_, i) => i % 40 == 3))
        {
            item["score"] = new AttributeValue { N = "12" };
        }

        await Tables.PutAllAsync(db.Client, source, items);
        var deadLetters = Path.Combine(_folder, "dead.jsonl");

        var result = await DdbCopyCli.RunAsync("--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint,
            "--destinationTable", destination, "--deadLetterFile", deadLetters, "--output", "json");

        Assert.True(result.ExitCode == 4, result.ToString());
        var summary = DdbCopyCli.Summary(result);
        Assert.Equal(195, summary.GetProperty("written").GetInt32());
        Assert.Equal(5, summary.GetProperty("deadLettered").GetInt32());
        Assert.Equal(200, summary.GetProperty("scanned").GetInt32());
        Assert.Equal(195, await Tables.CountAsync(db.Client, destination));
        var recorded = File.ReadLines(deadLetters).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(5, recorded.Count);
        Assert.All(recorded, r => Assert.Contains("ValidationException", r.GetProperty("Error").GetString(), StringComparison.Ordinal));
        Assert.All(recorded, r => Assert.Equal("12", r.GetProperty("Item").GetProperty("score").GetProperty("N").GetString()));

        // Sending the dead letters again ends too: they are refused again, each with its line, nothing else is touched.
        var again = await DdbCopyCli.RunAsync("import", "--from", deadLetters, "--destinationEndpoint", db.Endpoint,
            "--destinationTable", destination, "--rejectFile", Path.Combine(_folder, "again.jsonl"), "--output", "json");
        Assert.True(again.ExitCode == 4, again.ToString());
        Assert.Equal(5, DdbCopyCli.Summary(again).GetProperty("rejected").GetInt32());
        Assert.Equal(0, DdbCopyCli.Summary(again).GetProperty("written").GetInt32());
    }

    [Fact]
    public async Task ImportCsv_WithAnUnterminatedQuoteAndStrayQuotes_RejectsOnlyThoseRecordsAndImportsTheRest()
    {
        var destination = await _tables.CreateAsync("csv-quotes");
        var csv = Path.Combine(_folder, "people.csv");
        await File.WriteAllTextAsync(csv, string.Join("\n",
            "pk,name,note",
            "p1,Ann,fine",
            "p2,\"Bob\"by,stray quote after a closing quote",
            "p3,Cy,\"an open quote that is never closed",
            "p4,Di,fine",
            "p5,E\"d,quote inside a field",
            "p6,Flo,\"fine, \"\"quoted\"\"\"",
            "p7,Gus,last") + "\n");

        var result = await DdbCopyCli.RunAsync("import", "--from", csv, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            "--rejectFile", Path.Combine(_folder, "csv-rejects.jsonl"), "--output", "json");

        Assert.True(result.ExitCode == 4, result.ToString());
        var summary = DdbCopyCli.Summary(result);
        Assert.Equal(3, summary.GetProperty("rejected").GetInt32());
        Assert.Equal(4, summary.GetProperty("written").GetInt32());
        var keys = (await Tables.ScanAllAsync(db.Client, destination)).Select(i => i["pk"].S).Order();
        Assert.Equal(["p1", "p4", "p6", "p7"], keys);
        Assert.Contains($"{csv}:3: rejected: a closing quote is followed by 'b'", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"{csv}:4: rejected: a quoted field opened on this line is never closed", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"{csv}:6: rejected: a quote inside a field", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "is empty: a CSV file starts with a header row")]
    [InlineData("pk,name,pk\np1,a,p2\n", "names the column 'pk' twice")]
    public async Task ImportCsv_OfAnEmptyFileOrADuplicateHeader_FailsBeforeWriting(string content, string expected)
    {
        var destination = await _tables.CreateAsync("csv-header");
        var csv = Path.Combine(_folder, "h.csv");
        await File.WriteAllTextAsync(csv, content);

        var result = await DdbCopyCli.RunAsync("import", "--from", csv, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            "--output", "json");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
        Assert.False(DdbCopyCli.Summary(result).GetProperty("complete").GetBoolean());
        Assert.Equal(0, await Tables.CountAsync(db.Client, destination));
    }

    [Fact]
    public async Task Import_OfAnExportThatDidNotFinish_IsRefusedUnlessAskedFor()
    {
        var source = await _tables.CreateAsync("partial-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(300));
        var export = Path.Combine(_folder, "export");
        var exported = await DdbCopyCli.RunAsync("export", "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--to", export);
        Assert.True(exported.ExitCode == 0, exported.ToString());
        // What a stopped export leaves: the definition and data files, no manifests.
        File.Delete(Path.Combine(export, "manifest-summary.json"));
        File.Delete(Path.Combine(export, "manifest-files.json"));
        var destination = await _tables.CreateAsync("partial-dst");

        var refused = await DdbCopyCli.RunAsync("import", "--from", export, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination);
        Assert.True(refused.ExitCode == 3, refused.ToString());
        Assert.Contains("is an export that did not finish", refused.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, await Tables.CountAsync(db.Client, destination));

        var allowed = await DdbCopyCli.RunAsync("import", "--from", export, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            "--allowIncompleteExport");
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Equal(300, await Tables.CountAsync(db.Client, destination));
    }

    [Theory]
    [InlineData("id", "S", null)]
    [InlineData("pk", "N", null)]
    [InlineData("pk", "S", "sk")]
    public async Task Import_IntoATableWithAnotherKeySchema_IsRefusedBeforeTheFirstWrite(string hashKey, string hashType, string? rangeKey)
    {
        var destination = await _tables.CreateAsync("other-key-import", hashKey, hashType, rangeKey);
        var file = Path.Combine(_folder, "data.jsonl");
        await File.WriteAllLinesAsync(file, ItemFactory.Many(500).Select(DynamoDbJson.ToJsonLine));
        var rejects = Path.Combine(_folder, "key-rejects.jsonl");

        var result = await DdbCopyCli.RunAsync("import", "--from", file, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            "--rejectFile", rejects);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains($"The data does not have the key of the table '{destination}'", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(rejects));
        Assert.Equal(0, await Tables.CountAsync(db.Client, destination));
    }
}
