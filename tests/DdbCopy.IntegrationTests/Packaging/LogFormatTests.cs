using System.Text.Json;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Packaging;

/// <summary>
/// <c>--logFormat json</c> through the real CLI: every line on stderr is one JSON object (log events, progress, the
/// failure line, the usage hint), for a copy, for failures and for a follow; the figures are fields, not only text.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class LogFormatTests(DynamoDbFixture db) : IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-logformat-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Every stderr line as JSON (the assertion names a line that is not), each with the formatter's fields.</summary>
    private static List<JsonElement> JsonLines(ProcessResult result)
    {
        var lines = new List<JsonElement>();
        foreach (var line in result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            JsonElement element;
            try
            {
                element = JsonDocument.Parse(line).RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new Xunit.Sdk.XunitException($"not a JSON line on stderr: {line}\n{result}");
            }

            Assert.Equal(JsonValueKind.Object, element.ValueKind);
            Assert.True(DateTimeOffset.TryParse(element.GetProperty("Timestamp").GetString(), out _), line);
            Assert.True(element.TryGetProperty("EventId", out _), line);
            Assert.False(string.IsNullOrEmpty(element.GetProperty("LogLevel").GetString()), line);
            Assert.False(string.IsNullOrEmpty(element.GetProperty("Message").GetString()), line);
            lines.Add(element);
        }

        Assert.NotEmpty(lines);
        return lines;
    }

    [Fact]
    public async Task ACopy_LogsOnlyJsonLines_WithProgressAsFields()
    {
        var source = await _tables.CreateAsync("logjson-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(3_000));
        var destination = await _tables.CreateAsync("logjson-dst");

        var result = await DdbCopyCli.RunAsync("--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint,
            "--destinationTable", destination, "--writeCapacityUnits", "1000", "--progressIntervalSeconds", "0.5", "--verbose",
            "--checkpointFile", Path.Combine(_folder, "copy.json"), "--logFormat", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = JsonLines(result);
        var progress = lines.Where(l => l.GetProperty("EventId").GetInt32() == 9003).ToList();
        Assert.NotEmpty(progress);
        var last = progress[^1].GetProperty("State");
        Assert.InRange(last.GetProperty("Written").GetInt64(), 1, 3_000);
        Assert.Equal(1000, last.GetProperty("WriteBudget").GetDouble());
        // The engine's events keep their structured fields (the checkpoint's path as a field of its own).
        Assert.Contains(lines, l => l.GetProperty("State").TryGetProperty("Path", out var path) && path.GetString() == Path.Combine(_folder, "copy.json"));
        Assert.Equal(3_000, await Tables.CountAsync(db.Client, destination));
    }

    [Fact]
    public async Task Failures_AUsageErrorAndAMissingTable_AreJsonLinesToo()
    {
        var usage = await DdbCopyCli.RunAsync("--sourceTabel", "a", "--destinationTable", "b", "--log-format=json");
        var missing = await DdbCopyCli.RunAsync("--sourceEndpoint", db.Endpoint, "--sourceTable", "no-such-table-" + Guid.NewGuid().ToString("N")[..8],
            "--destinationEndpoint", db.Endpoint, "--destinationTable", "b", "--logFormat", "json");

        Assert.Equal(2, usage.ExitCode);
        var usageLines = JsonLines(usage);
        Assert.Contains(usageLines, l => l.GetProperty("LogLevel").GetString() == "Error"
            && l.GetProperty("Message").GetString()!.Contains("Did you mean --sourceTable?", StringComparison.Ordinal));
        Assert.NotEqual(0, missing.ExitCode);
        var error = Assert.Single(JsonLines(missing), l => l.GetProperty("LogLevel").GetString() == "Error");
        Assert.Contains("no-such-table-", error.GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.Equal(missing.ExitCode, error.GetProperty("State").GetProperty("ExitCode").GetInt32());
    }

    [Fact]
    public async Task AFollow_LogsOnlyJsonLines()
    {
        var source = await _tables.CreateAsync("logjson-follow-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(200));
        await Tables.EnableStreamAsync(db.Client, source);
        var destination = await _tables.CreateAsync("logjson-follow-dst");

        var result = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(2), ["--sourceEndpoint", db.Endpoint, "--sourceTable", source,
            "--destinationEndpoint", db.Endpoint, "--destinationTable", destination, "--follow", "--stopWhenCaughtUp",
            "--checkpointFile", Path.Combine(_folder, "follow.json"), "--progressIntervalSeconds", "0.5", "--logFormat", "json"],
            async _ => await db.Client.PutItemAsync(source, ItemFactory.Sized(100_000)));

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = JsonLines(result);
        Assert.Contains(lines, l => l.GetProperty("Message").GetString()!.Contains("Scan done: applying the changes", StringComparison.Ordinal));
    }
}
