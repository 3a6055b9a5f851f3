using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;
using Xunit.Abstractions;

namespace DdbCopy.IntegrationTests.Sections;

/// <summary>
/// scripts/scale-rehearsal.sh's program, sized for CI: 4 sections and a follower as separate processes against the
/// shared DynamoDB Local while `ddbcopy generate` changes the source, one section killed (SIGKILL) and resumed, and
/// `ddbcopy verify` exit 0 at the end.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class ScaleRehearsalTests(DynamoDbFixture db, ITestOutputHelper output)
{
    [Fact]
    public async Task TheRehearsal_FourSectionsOneKilledAndResumed_AndAFollower_EndsWithVerifyFindingTheTablesEqual()
    {
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))!); // Release or Debug
        var program = Path.Combine(RepositoryPaths.Root, "samples", "DdbCopy.ScaleRehearsal", "bin", configuration, "net10.0", "DdbCopy.ScaleRehearsal.dll");
        Assert.True(File.Exists(program), $"{program} is built with the solution");

        var result = await ProcessRunner.RunAsync("dotnet", [program, "--items", "8000", "--sections", "4", "--wcu", "2000", "--endpoint", db.Endpoint],
            TimeSpan.FromMinutes(6), environment: DdbCopyCli.NativeBinary is { } native ? new Dictionary<string, string> { ["DDBCOPY_TEST_BINARY"] = native } : null);
        output.WriteLine(result.StandardError);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("section 1 killed (SIGKILL) at", result.StandardError, StringComparison.Ordinal);
        Assert.Matches(@"equal: `ddbcopy verify` exit 0 after \d+ s; the follower applied [1-9]\d* changes", result.StandardError);
    }
}
