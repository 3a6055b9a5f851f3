using DdbCopy.Core.Formats;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;
using DdbCopy.TestSupport.Faults;

namespace DdbCopy.IntegrationTests.Hardening;

/// <summary>
/// Nothing is destroyed by mistake: a destination that is the source itself (however the endpoint is spelled) is
/// refused before any change, files ddbcopy writes are checked before the first write and never written through a
/// link or into an input, and every exit prints one JSON summary with --output json.
/// </summary>
[Collection(DynamoDbCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class NothingDestroyedTests(DynamoDbFixture db) : IAsyncLifetime
{
    private const int Usage = 2;
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-hard-").FullName;
    private FaultProxy? _proxy;

    public async Task InitializeAsync() => _proxy = await FaultProxy.StartAsync(db.Endpoint);

    public async Task DisposeAsync()
    {
        await _proxy!.DisposeAsync();
        await _tables.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The same DynamoDB Local, spelled in other ways (and once reached through a proxy on another port).</summary>
    public static TheoryData<string, string> Spellings => new()
    {
        { "localhost", "--recreateDestination --yes" },
        { "localhost-bare", "--recreateDestination --yes" },
        { "trailing-slash", "--recreateDestination --yes" },
        { "proxy", "--recreateDestination --yes" },
        { "other-region", "--recreateDestination --yes" },
        { "proxy", "--dryRun --recreateDestination" },
        { "localhost", "--boostWriteCapacity 500" },
        { "proxy", "" },
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task Copy_IntoItsOwnSourceSpelledAnotherWay_IsRefusedBeforeAnyChange(string spelling, string flags)
    {
        var source = await _tables.CreateAsync("self", readUnits: 5, writeUnits: 5);
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(50));
        var port = new Uri(db.Endpoint).Port;
        string[] destination = spelling switch
        {
            "localhost" => ["--destinationEndpoint", $"http://localhost:{port}"],
            "localhost-bare" => ["--destinationEndpoint", $"localhost:{port}"],
            "trailing-slash" => ["--destinationEndpoint", $"http://127.0.0.1:{port}/"],
            "proxy" => ["--destinationEndpoint", _proxy!.Url],
            _ => ["--destinationEndpoint", db.Endpoint, "--destinationRegion", "eu-west-3"],
        };

        var result = await DdbCopyCli.RunAsync(
        [
            "--sourceEndpoint", db.Endpoint, "--sourceTable", source, .. destination, "--destinationTable", source,
            .. flags.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        ]);

        Assert.True(result.ExitCode == Usage, result.ToString());
        Assert.Contains("The source and destination are the same table", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(50, await Tables.CountAsync(db.Client, source));
        var table = (await db.Client.DescribeTableAsync(source)).Table;
        Assert.Equal(5, table.ProvisionedThroughput.WriteCapacityUnits);
    }

    [Fact]
    public async Task Copy_BetweenTwoTablesOfTheSameNameOnDifferentServers_IsNotTakenForTheSameTable()
    {
        await using var other = await DynamoDbLocalServer.StartAsync();
        using var otherClient = other.CreateClient();
        var name = Tables.UniqueName("twin");
        await Tables.CreateAsync(db.Client, name);
        await Tables.CreateAsync(otherClient, name);
        await Tables.PutAllAsync(db.Client, name, ItemFactory.Many(20));

        var result = await DdbCopyCli.RunAsync("--sourceEndpoint", db.Endpoint, "--sourceTable", name,
            "--destinationEndpoint", other.Url, "--destinationTable", name);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(20, await Tables.CountAsync(otherClient, name));
        await db.Client.DeleteTableAsync(name);
    }

    [Fact]
    public async Task Copy_Log_NamesTheRegionEachSideResolvedTo()
    {
        var source = await _tables.CreateAsync("region-src");
        var destination = await _tables.CreateAsync("region-dst");

        var result = await DdbCopyCli.RunAsync("--sourceEndpoint", db.Endpoint, "--sourceTable", source,
            "--destinationEndpoint", db.Endpoint, "--destinationRegion", "eu-west-3", "--destinationTable", destination);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"source: {db.Endpoint} (us-east-1)", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"destination: {db.Endpoint} (eu-west-3)", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("default region", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing-folder")]
    [InlineData("symlink")]
    [InlineData("readable-by-others")]
    [InlineData("a-folder")]
    public async Task Copy_WithADeadLetterFileThatCannotBeUsedSafely_RefusesBeforeWriting(string kind)
    {
        var source = await _tables.CreateAsync("dl-src");
        var destination = await _tables.CreateAsync("dl-dst");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(30));
        var path = Path.Combine(_folder, "dead.jsonl");
        var target = Path.Combine(_folder, "elsewhere.txt");
        switch (kind)
        {
            case "missing-folder":
                path = Path.Combine(_folder, "no-such-folder", "dead.jsonl");
                break;
            case "symlink":
                await File.WriteAllTextAsync(target, "");
                File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                File.CreateSymbolicLink(path, target);
                break;
            case "readable-by-others":
                await File.WriteAllTextAsync(path, "");
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                break;
            default:
                Directory.CreateDirectory(path);
                break;
        }

        var result = await DdbCopyCli.RunAsync("--sourceEndpoint", db.Endpoint, "--sourceTable", source,
            "--destinationEndpoint", db.Endpoint, "--destinationTable", destination, "--deadLetterFile", path);

        Assert.True(result.ExitCode == Usage, result.ToString());
        Assert.Contains($"as the dead-letter file", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, await Tables.CountAsync(db.Client, destination));
        if (kind == "symlink")
        {
            Assert.Equal("", await File.ReadAllTextAsync(target));
        }
    }

    [Theory]
    [InlineData("--deadLetterFile", "same-file")]
    [InlineData("--rejectFile", "same-file")]
    [InlineData("--deadLetterFile", "inside-folder")]
    [InlineData("--rejectFile", "inside-folder")]
    public async Task Import_WritingItsDeadLettersOrRejectsIntoItsOwnInput_IsRefused(string flag, string where)
    {
        var destination = await _tables.CreateAsync("self-import");
        var data = Path.Combine(_folder, "in");
        Directory.CreateDirectory(data);
        var file = Path.Combine(data, "items.jsonl");
        var lines = ItemFactory.Many(10).Select(DynamoDbJson.ToJsonLine).ToList();
        await File.WriteAllLinesAsync(file, lines);
        var from = where == "same-file" ? file : data;
        var output = where == "same-file" ? file : Path.Combine(data, "out.jsonl");

        var result = await DdbCopyCli.RunAsync("import", "--from", from, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            flag, output);

        Assert.True(result.ExitCode == Usage, result.ToString());
        Assert.Contains("is part of the input", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(lines, await File.ReadAllLinesAsync(file));
        Assert.False(File.Exists(Path.Combine(data, "out.jsonl")));
        Assert.Equal(0, await Tables.CountAsync(db.Client, destination));
    }

    [Theory]
    [InlineData("--sourceTable x -o json")]
    [InlineData("--sourceTable x --destinationTable y --readThroughputRatio 7 --output=json")]
    [InlineData("--no-such-flag --output json")]
    [InlineData("import --from /no/such/file --destinationTable t --output json")]
    [InlineData("--sourceTable x --destinationTable y --recreateDestination -o json")]
    [InlineData("--sourceTable no-such-table --destinationTable y --output:json")]
    public async Task EveryExit_WithOutputJson_PrintsOneJsonSummaryWithTheErrorAndExitCode(string arguments)
    {
        string[] endpoints = arguments.StartsWith("import", StringComparison.Ordinal)
            ? ["--destinationEndpoint", db.Endpoint]
            : ["--destinationEndpoint", db.Endpoint, "--sourceEndpoint", db.Endpoint];
        var result = await DdbCopyCli.RunAsync([.. arguments.Split(' '), .. endpoints]);

        Assert.True(result.ExitCode is 2 or 3, result.ToString());
        var summary = DdbCopyCli.Summary(result);
        Assert.Equal(result.ExitCode, summary.GetProperty("exitCode").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(summary.GetProperty("error").GetString()));
        Assert.False(summary.GetProperty("complete").GetBoolean());
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }
}
