using Amazon.DynamoDBv2.Model;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Sections;

/// <summary>
/// Sections taken from an orchestrator's environment (Kubernetes Indexed Job, AWS Batch array job) through the real
/// CLI against DynamoDB Local, and `ddbcopy finish` once after them.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class OrchestratorTests(DynamoDbFixture db) : IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-sections-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private string[] Copy(string source, string destination, params string[] extra) =>
    [
        "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
        "--checkpointFile", Path.Combine(_folder, "{section}.checkpoint.json"), "--output", "json", .. extra,
    ];

    [Theory]
    [InlineData("JOB_COMPLETION_INDEX", "a Kubernetes Indexed Job")]
    [InlineData("AWS_BATCH_JOB_ARRAY_INDEX", "an AWS Batch array job")]
    public async Task ThreeProcesses_GivenOnlyTheOrchestratorsIndex_CopyEverythingExactlyOnce(string variable, string orchestrator)
    {
        var source = await _tables.CreateAsync("sections-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(3_000, 300));
        var destination = await _tables.CreateAsync("sections-dst");

        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => DdbCopyCli.RunWithEnvironmentAsync(
            new Dictionary<string, string> { [variable] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            Copy(source, destination, "--totalSections", "3", "--segments", "6"))));

        for (var i = 0; i < 3; i++)
        {
            Assert.True(runs[i].ExitCode == 0, runs[i].ToString());
            Assert.Contains($"copies section {i} of 3 ({variable}={i}, from {orchestrator})", runs[i].StandardError, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(_folder, $"{i}.checkpoint.json")), $"section {i}'s checkpoint");
        }

        var written = runs.Select(r => DdbCopyCli.Summary(r).GetProperty("written").GetInt64()).ToList();
        Assert.All(written, w => Assert.InRange(w, 1, 2_999));
        Assert.Equal(3_000, written.Sum());
        var expected = (await Tables.ScanAllAsync(db.Client, source)).Select(ItemFactory.Canonical).Order().ToList();
        var actual = (await Tables.ScanAllAsync(db.Client, destination)).Select(ItemFactory.Canonical).Order().ToList();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("JOB_COMPLETION_INDEX", "1", new string[0], "JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job): pass --totalSections")]
    [InlineData("AWS_BATCH_JOB_ARRAY_INDEX", "x", new[] { "--totalSections", "3" }, "AWS_BATCH_JOB_ARRAY_INDEX is 'x', not a section number")]
    [InlineData("JOB_COMPLETION_INDEX", "3", new[] { "--totalSections", "3" }, "got 3 (from JOB_COMPLETION_INDEX)")]
    public async Task AnIndexThatCannotBeASection_IsAUsageError(string variable, string value, string[] extra, string message)
    {
        var result = await DdbCopyCli.RunWithEnvironmentAsync(new Dictionary<string, string> { [variable] = value }, Copy("a", "b", extra));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SectionFlag_WinsOverTheEnvironment()
    {
        var source = await _tables.CreateAsync("sections-flag-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(50, 200));
        var destination = await _tables.CreateAsync("sections-flag-dst");

        var result = await DdbCopyCli.RunWithEnvironmentAsync(new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "7" },
            Copy(source, destination, "--totalSections", "2", "--section", "1"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("copies section 1 of 2 (--section)", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SectionsThatCreateTheDestination_LeaveItsStreamToFinish_WhichEnablesItOnce()
    {
        var source = await _tables.CreateAsync("sections-finish-src");
        await db.Client.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = source,
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = Amazon.DynamoDBv2.StreamViewType.NEW_AND_OLD_IMAGES },
        });
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(200, 200));
        var destination = Tables.UniqueName("sections-finish-dst");

        var first = await DdbCopyCli.RunAsync(Copy(source, destination, "--createDestination", "--totalSections", "2", "--section", "0"));
        var second = await DdbCopyCli.RunAsync(Copy(source, destination, "--createDestination", "--totalSections", "2", "--section", "1"));
        var streamAfterSections = (await db.Client.DescribeTableAsync(destination)).Table.StreamSpecification?.StreamEnabled;
        var finish = await DdbCopyCli.RunAsync("finish", "--sourceEndpoint", db.Endpoint, "--sourceTable", source,
            "--destinationEndpoint", db.Endpoint, "--destinationTable", destination);
        var again = await DdbCopyCli.RunAsync("finish", "--sourceEndpoint", db.Endpoint, "--sourceTable", source,
            "--destinationEndpoint", db.Endpoint, "--destinationTable", destination);
        await db.Client.DeleteTableAsync(destination);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("left to `ddbcopy finish`", first.StandardError + second.StandardError, StringComparison.Ordinal);
        Assert.NotEqual(true, streamAfterSections);
        Assert.True(finish.ExitCode == 0, finish.ToString());
        Assert.Contains("stream: enabled (NEW_AND_OLD_IMAGES)", finish.StandardOutput, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("stream: already enabled (NEW_AND_OLD_IMAGES)", again.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BoostWithSections_IsAUsageError()
    {
        var result = await DdbCopyCli.RunAsync(Copy("a", "b", "--totalSections", "2", "--section", "0", "--boostWriteCapacity", "100"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--boostWriteCapacity with --totalSections", result.StandardError, StringComparison.Ordinal);
    }
}
