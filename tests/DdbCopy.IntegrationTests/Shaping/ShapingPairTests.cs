using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Shaping;

/// <summary>Where masking meets the key, and where shaping meets the reject file and the log: through the real CLI.</summary>
[Collection(DynamoDbCollection.Name)]
public sealed class ShapingPairTests(DynamoDbFixture db) : IAsyncLifetime
{
    private static readonly Dictionary<string, string> MaskKey = new() { ["DDBCOPY_MASK_KEY"] = "staging-refresh-key-0123456789ab" };
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-shape-pairs-").FullName;

    [Fact]
    public async Task MaskedKeys_OfAShortFormat_NeverMakeTwoItemsOne()
    {
        // 2,000 keys of four digits: a keyed hash into 10,000 four-digit stand-ins would collide ~190 times.
        var source = await _tables.CreateAsync("maskcollide-src", rangeKey: "sk");
        await Tables.PutAllAsync(db.Client, source, Enumerable.Range(0, 2000).Select(i => new Dictionary<string, AttributeValue>
        {
            ["pk"] = new() { S = i.ToString("0000", CultureInfo.InvariantCulture) },
            ["sk"] = new() { S = $"s{i % 7}" },
            ["n"] = new() { N = i.ToString(CultureInfo.InvariantCulture) },
        }));
        var destination = await _tables.CreateAsync("maskcollide-dst", rangeKey: "sk");

        var result = await DdbCopyCli.RunWithEnvironmentAsync(MaskKey, "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint",
            db.Endpoint, "--destinationTable", destination, "--mask", "pk,sk", "--allowKeyChanges", "--output", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(2000, DdbCopyCli.Summary(result).GetProperty("written").GetInt32());
        var items = await Tables.ScanAllAsync(db.Client, destination);
        Assert.Equal(2000, items.Count); // counted by the test in the table itself, not from the summary
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => i.ToString(CultureInfo.InvariantCulture)), items.Select(i => i["n"].N).OrderBy(int.Parse));
        Assert.All(items, i => Assert.Matches("^[0-9]{4}$", i["pk"].S));
    }

    /// <param name="logFormat">json too: its lines carry each event's fields as well as its message, and neither may leak.</param>
    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task MaskedCsvImport_RejectedLines_LeaveNoOriginalValueInTheRejectFileOrTheLog(string logFormat)
    {
        var input = Path.Combine(_folder, "people.csv");
        await File.WriteAllTextAsync(input, """
            pk,email,age
            p-100,alice.secret@realcorp.com,31
            p-200,bob.secret@realcorp.com,old-9876
            p-300,carol.secret@realcorp.com,"unterminated
            """ + "\n");
        var destination = await _tables.CreateAsync("maskcsv-dst");
        var rejects = Path.Combine(_folder, "rejects.jsonl");

        var result = await DdbCopyCli.RunWithEnvironmentAsync(MaskKey, "import", "--from", input, "--format", "csv", "--column", "age:N",
            "--destinationEndpoint", db.Endpoint, "--destinationTable", destination, "--mask", "pk,email,age", "--allowKeyChanges",
            "--rejectFile", rejects, "--output", "json", "--verbose", "--logFormat", logFormat);

        Assert.Equal(4, result.ExitCode);
        Assert.Equal((1, 2), (DdbCopyCli.Summary(result).GetProperty("written").GetInt32(), DdbCopyCli.Summary(result).GetProperty("rejected").GetInt32()));
        var lines = (await File.ReadAllLinesAsync(rejects)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.False(l.TryGetProperty("text", out _), l.ToString()));
        Assert.Contains(lines, l => l.GetProperty("reason").GetString() == "column 'age': (a value, withheld: --mask) is not a number");
        var everything = await File.ReadAllTextAsync(rejects) + result.StandardError + result.StandardOutput
            + string.Join("\n", (await Tables.ScanAllAsync(db.Client, destination)).Select(ItemFactory.Canonical));
        foreach (var original in new[] { "secret", "realcorp", "old-9876", "p-100", "p-200", "p-300", "unterminated" })
        {
            Assert.DoesNotContain(original, everything, StringComparison.Ordinal);
        }

        if (logFormat == "json")
        {
            Assert.All(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => JsonDocument.Parse(l));
        }

        // Without --mask the same reject quotes the value, so a user can fix it.
        var plain = Path.Combine(_folder, "plain-rejects.jsonl");
        var unmasked = await DdbCopyCli.RunAsync("import", "--from", input, "--format", "csv", "--column", "age:N", "--destinationEndpoint", db.Endpoint,
            "--destinationTable", destination, "--rejectFile", plain, "--output", "json");
        Assert.Equal(4, unmasked.ExitCode);
        Assert.Contains("column 'age': 'old-9876' is not a number",
            (await File.ReadAllLinesAsync(plain)).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("reason").GetString()));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
