using System.CommandLine;
using DdbCopy.Cli.Commands;

namespace DdbCopy.Tests.Cli;

public sealed class CopyCommandTests
{
    private static ParseResult Parse(string line) => CopyCommand.Create().Parse(line);

    [Fact]
    public void Parse_TheClassicToolsCommandLine_Binds()
    {
        var parse = Parse("--sourceEndpoint dynamodb.us-west-1.amazonaws.com --sourceTable a --destinationEndpoint dynamodb.us-east-1.amazonaws.com " +
            "--destinationTable b --readThroughputRatio .5 --writeThroughputRatio .7 --maxWriteThreads 128 --totalSections 4 --section 3 --consistentScan");

        Assert.Empty(parse.Errors);
        var settings = CopySettingsBinder.Bind(parse);
        Assert.Equal("a", settings.SourceTable);
        Assert.Equal("us-west-1", settings.Source.Endpoint.Region);
        Assert.Equal("us-east-1", settings.Destination.Endpoint.Region);
        Assert.Equal(0.5, settings.ReadRatio);
        Assert.Equal(0.7, settings.Write.Ratio);
        Assert.Equal(128, settings.Write.MaxWriteThreads);
        Assert.Equal(4, settings.TotalSections);
        Assert.Equal(3, settings.Section);
        Assert.True(settings.ConsistentScan);
    }

    [Fact]
    public void Parse_KebabCaseAliases_BindTheSameOptions()
    {
        var parse = Parse("--source-table a --destination-table b --read-throughput-ratio 0.1 --write-throughput-ratio 0.2 " +
            "--read-capacity-units 50 --write-capacity-units 60 --max-write-threads 3 --total-sections 2 --section 1 --consistent-scan true --max-retries 4 --segments 8");

        Assert.Empty(parse.Errors);
        var settings = CopySettingsBinder.Bind(parse);
        Assert.Equal((0.1, 0.2, 50d, 60d, 3, 2, 1, true, 4, 8),
            (settings.ReadRatio, settings.Write.Ratio, settings.ReadUnitsPerSecond!.Value, settings.Write.UnitsPerSecond!.Value,
             settings.Write.MaxWriteThreads!.Value, settings.TotalSections, settings.Section, settings.ConsistentScan, settings.MaxRetries, settings.Segments!.Value));
    }

    [Theory]
    [InlineData("--consistentScan false", false)]
    [InlineData("--consistentScan true", true)]
    [InlineData("--consistentScan", true)]
    [InlineData("", false)]
    public void Parse_ConsistentScan_AcceptsABareFlagOrAValue(string flag, bool expected)
    {
        var parse = Parse($"--sourceTable a --destinationTable b {flag}");
        Assert.Empty(parse.Errors);
        Assert.Equal(expected, CopySettingsBinder.Bind(parse).ConsistentScan);
    }

    [Fact]
    public void Parse_WithOnlyTheTables_UsesTheDocumentedDefaults()
    {
        var settings = CopySettingsBinder.Bind(Parse("--sourceTable a --destinationTable b"));

        Assert.Equal(0.25, settings.ReadRatio);
        Assert.Equal(0.5, settings.Write.Ratio);
        Assert.Equal(1, settings.TotalSections);
        Assert.Equal(0, settings.Section);
        Assert.Equal(10, settings.MaxRetries);
        Assert.Null(settings.ReadUnitsPerSecond);
        Assert.Null(settings.Source.Endpoint.ServiceUrl);
    }

    [Fact]
    public void Parse_ManyMistakes_ReportsEachOne()
    {
        var parse = Parse("--readThroughputRatio 2 --writeThroughputRatio 0 --totalSections 2 --section 5 --maxWriteThreads 0");

        var messages = parse.Errors.Select(e => e.Message).ToList();
        Assert.Contains("Option '--sourceTable' is required.", messages);
        Assert.Contains("Option '--destinationTable' is required.", messages);
        Assert.Contains(messages, m => m.StartsWith("--readThroughputRatio must be greater than 0 and at most 1", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("--writeThroughputRatio must be greater than 0", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("--section must be between 0 and --totalSections - 1", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("--maxWriteThreads must be at least 1", StringComparison.Ordinal));
    }

    [Fact]
    public void FollowFlags_WithoutFollow_OrWithSectionsAsTheyCannotBe_OrFollowOnlyIntoANewTable_AreUsageErrors()
    {
        var without = Parse("--sourceTable a --destinationTable b --stopWhenCaughtUp --conflictAttribute u --spool-directory /tmp/s").Errors.Select(e => e.Message).ToList();
        var sections = Parse("--sourceTable a --destinationTable b --follow --followOnly --totalSections 2 --section 1 --checkpointFile /x/ck.json").Errors
            .Select(e => e.Message).ToList();
        var follower = Parse("--sourceTable a --destinationTable b --totalSections 2 --section follow").Errors.Select(e => e.Message).ToList();
        var word = Parse("--sourceTable a --destinationTable b --follow --totalSections 2 --section leader").Errors.Select(e => e.Message).ToList();
        var created = Parse("--sourceTable a --destinationTable b --follow --followOnly --createDestination").Errors.Select(e => e.Message).ToList();

        Assert.Equal(["--stopWhenCaughtUp only applies with --follow.", "--conflictAttribute only applies with --follow.", "--spoolDirectory only applies with --follow."],
            without);
        Assert.Contains(sections, m => m.StartsWith("--followOnly with --totalSections", StringComparison.Ordinal));
        Assert.Contains(sections, m => m.StartsWith("--checkpointFile with --follow --totalSections must contain {section}", StringComparison.Ordinal));
        Assert.Equal(["--section follow is the follower of a copy in sections: it needs --follow and --totalSections of 2 or more."], follower);
        Assert.Equal(["--section takes a section number, or 'follow' (got 'leader')."], word);
        Assert.Empty(Parse("--sourceTable a --destinationTable b --follow --totalSections 2 --section follow --checkpointFile /x/ck-{section}.json").Errors);
        Assert.Contains(created, m => m.StartsWith("--followOnly applies changes to a destination that already holds the data", StringComparison.Ordinal));
    }

    [Fact]
    public void SectionFollow_BindsTheFollower_AsSectionN_WithFollowInItsPaths_AndTheSectionsPathsFromTheSameTemplate()
    {
        var settings = CopySettingsBinder.Bind(Parse(
            "--sourceTable a --destinationTable b --follow --totalSections 3 --section follow --checkpointFile /x/ck-{section}.json --deadLetterFile /x/dl-{section}.jsonl"));

        Assert.True(settings.IsFollower);
        Assert.Equal(3, settings.Section);
        Assert.Equal("/x/ck-follow.json", settings.CheckpointFile);
        Assert.Equal("/x/dl-follow.jsonl", settings.Write.DeadLetterFile);
        Assert.Equal(["/x/ck-0.json", "/x/ck-1.json", "/x/ck-2.json"], DdbCopy.Core.Jobs.Copying.SectionFollower.SectionCheckpoints(settings));
        var section = CopySettingsBinder.Bind(Parse("--sourceTable a --destinationTable b --follow --totalSections 3 --section 2 --checkpointFile /x/ck-{section}.json"));
        Assert.False(section.IsFollower);
        Assert.Equal("/x/ck-2.json", section.CheckpointFile);
        Assert.Equal("ddbcopy-copy-a-to-b-section-follow-of-3.checkpoint.json", DdbCopy.Core.Engine.Checkpoints.CheckpointFile.DefaultName("copy", "a", "b", 3, 3));
    }

    [Fact]
    public void Follow_BindsItsSettings_AndTheirIdentityForTheCheckpoint()
    {
        var settings = CopySettingsBinder.Bind(Parse("--sourceTable a --destinationTable b --follow --stop-when-caught-up --conflictAttribute updatedAt --followOnly"));

        Assert.NotNull(settings.Follow);
        Assert.True(settings.Follow.StopWhenCaughtUp);
        Assert.Equal("updatedAt", settings.Follow.ConflictAttribute);
        Assert.Equal("follow, followOnly, conflictAttribute updatedAt", settings.Follow.Identity);
        Assert.Equal("/x/job.checkpoint.spool", settings.Follow.SpoolFor("/x/job.checkpoint.json"));
        Assert.Null(CopySettingsBinder.Bind(Parse("--sourceTable a --destinationTable b")).Follow);
    }

    [Fact]
    public void Help_MatchesTheApprovedText()
    {
        var output = new StringWriter();
        CopyCommand.Create().Parse("--help").Invoke(new InvocationConfiguration { Output = output });

        var approvedPath = Path.Combine(SourceDirectory(), "Cli", "help.approved.txt");
        var actual = output.ToString().ReplaceLineEndings("\n").Replace("testhost [options]", "ddbcopy [options]", StringComparison.Ordinal);
        if (!File.Exists(approvedPath) || File.ReadAllText(approvedPath) != actual)
        {
            File.WriteAllText(approvedPath.Replace(".approved.", ".received.", StringComparison.Ordinal), actual);
        }

        Assert.Equal(File.ReadAllText(approvedPath), actual);
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetDirectoryName(Path.GetDirectoryName(path))!;
}
