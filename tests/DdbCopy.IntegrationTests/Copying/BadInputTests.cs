using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Copying;

/// <summary>Every mistake a user can make gets one clear line, the documented exit code, no stack trace, and no write.</summary>
[Collection(DynamoDbCollection.Name)]
public sealed class BadInputTests(DynamoDbFixture db) : IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);

    private const int Usage = 2;
    private const int Environment = 3;

    [Theory]
    [InlineData("missing", "Option '--sourceTable' is required.")]
    [InlineData("--readThroughputRatio 0", "--readThroughputRatio must be greater than 0")]
    [InlineData("--writeThroughputRatio -1", "--writeThroughputRatio must be greater than 0")]
    [InlineData("--readThroughputRatio abc", "Cannot parse argument 'abc' for option '--readThroughputRatio'")]
    [InlineData("--totalSections 3 --section 3", "--section must be between 0 and --totalSections - 1 (2); got 3.")]
    [InlineData("--writeCapacityUnits 0", "--writeCapacityUnits must be a positive number")]
    [InlineData("--output xml", "--output must be text or json")]
    [InlineData("--sourceEndpoint ftp://example", "--sourceEndpoint: 'ftp://example' is not an endpoint")]
    [InlineData("--section 1 --section 2", "Option '--section' expects a single argument but 2 were provided.")]
    public async Task Copy_WithABadCommandLine_SaysWhatIsWrongAndWritesNothing(string extra, string expected)
    {
        var (source, destination) = await SourceAndEmptyDestinationAsync();
        string[] args = extra == "missing"
            ? ["--destinationTable", destination, "--destinationEndpoint", db.Endpoint]
            : [.. Both(source, destination).Skip(extra.StartsWith("--sourceEndpoint", StringComparison.Ordinal) ? 2 : 0), .. extra.Split(' ')];

        var result = await DdbCopyCli.RunAsync(args);

        AssertFailedCleanly(result, Usage, expected);
        Assert.Equal(0, await Tables.CountAsync(db.Client, destination));
    }

    [Fact]
    public async Task Copy_FromAMissingSourceTable_SaysItDoesNotExist()
    {
        var (_, destination) = await SourceAndEmptyDestinationAsync();
        var result = await DdbCopyCli.RunAsync(Both("no-such-table", destination));
        AssertFailedCleanly(result, Environment, "The source table 'no-such-table' does not exist at http://127.0.0.1:");
    }

    [Fact]
    public async Task Copy_IntoAMissingDestinationTable_SaysItDoesNotExist()
    {
        var (source, _) = await SourceAndEmptyDestinationAsync();
        var result = await DdbCopyCli.RunAsync(Both(source, "no-such-destination"));
        AssertFailedCleanly(result, Environment, "The destination table 'no-such-destination' does not exist");
    }

    [Theory]
    [InlineData("id", "S", null)]
    [InlineData("pk", "N", null)]
    [InlineData("pk", "S", "sk")]
    public async Task Copy_IntoADestinationWithAnotherKeySchema_RefusesBeforeWriting(string hashKey, string hashType, string? rangeKey)
    {
        var (source, _) = await SourceAndEmptyDestinationAsync();
        var destination = await _tables.CreateAsync("other-key", hashKey, hashType, rangeKey);

        var result = await DdbCopyCli.RunAsync(Both(source, destination));

        AssertFailedCleanly(result, Environment, $"The destination table '{destination}' has key [");
        Assert.Contains("its items would be rejected, so nothing was copied", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, await Tables.CountAsync(db.Client, destination));
    }

    [Fact]
    public async Task Copy_FromAnUnreachableEndpoint_SaysItCannotReachIt()
    {
        var (_, destination) = await SourceAndEmptyDestinationAsync();
        var port = DynamoDbLocalServer.FreePort(); // Nothing listens there.
        var result = await DdbCopyCli.RunAsync("--sourceEndpoint", $"http://127.0.0.1:{port}", "--sourceTable", "t",
            "--destinationEndpoint", db.Endpoint, "--destinationTable", destination);

        AssertFailedCleanly(result, Environment, $"Cannot reach the source endpoint http://127.0.0.1:{port}");
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(20), $"took {result.Elapsed}");
    }

    [Fact]
    public async Task Copy_WhenAccessIsDenied_SaysSoAndWritesNothing()
    {
        var (source, destination) = await SourceAndEmptyDestinationAsync();
        using var denying = new FixedResponseServer(400, "AccessDeniedException",
            "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: dynamodb:DescribeTable");

        var result = await DdbCopyCli.RunAsync("--sourceEndpoint", db.Endpoint, "--sourceTable", source,
            "--destinationEndpoint", denying.Url, "--destinationTable", destination);

        AssertFailedCleanly(result, Environment, $"Access to the destination table '{destination}' at {denying.Url}");
        Assert.Contains("AccessDeniedException: User: arn:aws:iam::123456789012:user/ci is not authorized", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, await Tables.CountAsync(db.Client, destination));
    }

    private string[] Both(string source, string destination) =>
        ["--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination];

    private async Task<(string Source, string Destination)> SourceAndEmptyDestinationAsync()
    {
        var source = await _tables.CreateAsync("bad-src");
        var destination = await _tables.CreateAsync("bad-dst");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(50));
        return (source, destination);
    }

    private static void AssertFailedCleanly(ProcessResult result, int exitCode, string expected)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", result.StandardError.Replace("AccessDeniedException:", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal("", result.StandardOutput.Trim());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _tables.DisposeAsync();
}
