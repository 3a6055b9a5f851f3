using System.Runtime.CompilerServices;
using System.Text.Json;
using DdbCopy.Cli.Commands;
using YamlDotNet.RepresentationModel;

namespace DdbCopy.Tests.Deploy;

/// <summary>
/// The examples in deploy/ hold what their orchestrators require (kubectl and the AWS CLI are not here: the fields
/// are checked with a YAML parser and System.Text.Json), and their ddbcopy arguments parse.
/// </summary>
public sealed class ManifestTests
{
    private static string DeployFolder([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "deploy"));

    private static YamlMappingNode Yaml(string name) => YamlFile.Load(Path.Combine(DeployFolder(), name));

    private static YamlNode At(YamlNode node, params string[] path) => YamlFile.At(node, path);

    private static string Text(YamlNode node, params string[] path) => YamlFile.Text(node, path);

    /// <summary>The ddbcopy arguments parse, with no errors.</summary>
    private static System.CommandLine.ParseResult Parse(IReadOnlyList<string> args)
    {
        var parse = CopyCommand.Create().Parse(args.ToArray());
        Assert.True(parse.Errors.Count == 0, string.Join("; ", parse.Errors.Select(e => e.Message)));
        return parse;
    }

    [Fact]
    public void KubernetesCopyJob_IsAnIndexedJobWithOneCompletionPerSection()
    {
        var job = Yaml("kubernetes/copy-job.yaml");

        Assert.Equal(("batch/v1", "Job"), (Text(job, "apiVersion"), Text(job, "kind")));
        Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", Text(job, "metadata", "name"));
        Assert.Equal("Indexed", Text(job, "spec", "completionMode"));
        var completions = int.Parse(Text(job, "spec", "completions"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(completions, int.Parse(Text(job, "spec", "parallelism"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(Text(job, "spec", "template", "spec", "restartPolicy"), new[] { "Never", "OnFailure" }); // what a Job allows
        var container = Assert.IsType<YamlSequenceNode>(At(job, "spec", "template", "spec", "containers")).Children[0];
        Assert.NotEmpty(Text(container, "name"));
        Assert.NotEmpty(Text(container, "image"));
        var args = Assert.IsType<YamlSequenceNode>(At(container, "args")).Children.Select(a => ((YamlScalarNode)a).Value!).ToList();
        Assert.Equal(completions.ToString(System.Globalization.CultureInfo.InvariantCulture), args[args.IndexOf("--totalSections") + 1]);
        Assert.DoesNotContain("--section", args);
        Assert.Contains("--resume", args);
        Parse(args);
        var claim = Text(Assert.IsType<YamlSequenceNode>(At(job, "spec", "template", "spec", "volumes")).Children[0], "persistentVolumeClaim", "claimName");
        Assert.NotEmpty(claim);

        // The default checkpoints ($XDG_STATE_HOME/ddbcopy) must be on the volume, or a restarted pod has nothing to resume.
        var mount = Text(Assert.IsType<YamlSequenceNode>(At(container, "volumeMounts")).Children[0], "mountPath");
        var state = Assert.IsType<YamlSequenceNode>(At(container, "env")).Children
            .Single(e => Text(e, "name") == "XDG_STATE_HOME");
        Assert.StartsWith(mount, Text(state, "value"), StringComparison.Ordinal);
    }

    [Fact]
    public void KubernetesFinishJob_RunsFinishOnce()
    {
        var job = Yaml("kubernetes/finish-job.yaml");

        Assert.Equal(("batch/v1", "Job", "1"), (Text(job, "apiVersion"), Text(job, "kind"), Text(job, "spec", "completions")));
        Assert.Contains(Text(job, "spec", "template", "spec", "restartPolicy"), new[] { "Never", "OnFailure" });
        var container = Assert.IsType<YamlSequenceNode>(At(job, "spec", "template", "spec", "containers")).Children[0];
        var args = Assert.IsType<YamlSequenceNode>(At(container, "args")).Children.Select(a => ((YamlScalarNode)a).Value!).ToList();
        Assert.Equal("finish", args[0]);
        Parse(args);
    }

    [Fact]
    public void AwsBatchExample_IsAnArrayJobOfOneChildPerSection()
    {
        using var definition = JsonDocument.Parse(File.ReadAllText(Path.Combine(DeployFolder(), "aws-batch", "job-definition.json")));
        using var submit = JsonDocument.Parse(File.ReadAllText(Path.Combine(DeployFolder(), "aws-batch", "submit-array-job.json")));
        var root = definition.RootElement;

        Assert.Equal("container", root.GetProperty("type").GetString());
        var name = root.GetProperty("jobDefinitionName").GetString()!;
        var container = root.GetProperty("containerProperties");
        Assert.NotEmpty(container.GetProperty("image").GetString()!);
        var command = container.GetProperty("command").EnumerateArray().Select(c => c.GetString()!).ToList();
        var size = submit.RootElement.GetProperty("arrayProperties").GetProperty("size").GetInt32();
        Assert.InRange(size, 2, 10_000); // AWS Batch array sizes
        Assert.Equal(size.ToString(System.Globalization.CultureInfo.InvariantCulture), command[command.IndexOf("--totalSections") + 1]);
        Assert.Equal(name, submit.RootElement.GetProperty("jobDefinition").GetString());
        Assert.NotEmpty(submit.RootElement.GetProperty("jobName").GetString()!);
        Assert.NotEmpty(submit.RootElement.GetProperty("jobQueue").GetString()!);
        Assert.Contains(command, c => c.Contains("{section}", StringComparison.Ordinal));
        Parse(command);
    }

    /// <summary>The arguments bound as the process with this section index would bind them (the orchestrator gives it).</summary>
    private static Core.Jobs.Copying.CopySettings AsIndex(IReadOnlyList<string> args, int index) =>
        CopySettingsBinder.Bind(Parse([.. args, "--section", index.ToString(System.Globalization.CultureInfo.InvariantCulture)]));

    [Fact]
    public void KubernetesFollowedCopy_HasOneCompletionPerSectionPlusTheFollower_WhoseIndexIsTheNumberOfSections()
    {
        var job = Yaml("kubernetes/followed-copy-job.yaml");

        Assert.Equal(("batch/v1", "Job", "Indexed"), (Text(job, "apiVersion"), Text(job, "kind"), Text(job, "spec", "completionMode")));
        var completions = int.Parse(Text(job, "spec", "completions"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(completions, int.Parse(Text(job, "spec", "parallelism"), System.Globalization.CultureInfo.InvariantCulture)); // the follower runs beside the sections
        var container = Assert.IsType<YamlSequenceNode>(At(job, "spec", "template", "spec", "containers")).Children[0];
        var args = Assert.IsType<YamlSequenceNode>(At(container, "args")).Children.Select(a => ((YamlScalarNode)a).Value!).ToList();
        var sections = int.Parse(args[args.IndexOf("--totalSections") + 1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(sections + 1, completions);
        Assert.Contains("--follow", args);
        Assert.DoesNotContain("--section", args);

        var follower = AsIndex(args, sections);
        Assert.True(follower.IsFollower);
        Assert.StartsWith("s3://", follower.CheckpointFile, StringComparison.Ordinal);
        Assert.EndsWith("/ck-follow.json", follower.CheckpointFile, StringComparison.Ordinal);
        Assert.All(Enumerable.Range(0, sections), i => Assert.False(AsIndex(args, i).IsFollower));
        Assert.Equal(Enumerable.Range(0, sections).Select(i => AsIndex(args, i).CheckpointFile), Core.Jobs.Copying.SectionFollower.SectionCheckpoints(follower));
    }

    [Fact]
    public void AwsBatchFollowedCopy_IsAnArrayOfTheSectionsPlusTheFollower()
    {
        using var submit = JsonDocument.Parse(File.ReadAllText(Path.Combine(DeployFolder(), "aws-batch", "submit-followed-array-job.json")));
        var command = submit.RootElement.GetProperty("containerOverrides").GetProperty("command").EnumerateArray().Select(c => c.GetString()!).ToList();
        var sections = int.Parse(command[command.IndexOf("--totalSections") + 1], System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(sections + 1, submit.RootElement.GetProperty("arrayProperties").GetProperty("size").GetInt32());
        Assert.True(AsIndex(command, sections).IsFollower);
        Assert.EndsWith("/ck-follow.json", AsIndex(command, sections).CheckpointFile, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("JOB_COMPLETION_INDEX", "2", 2)]
    [InlineData("AWS_BATCH_JOB_ARRAY_INDEX", "0", 0)]
    public void OrchestratorSection_ReadsEitherVariable(string variable, string value, int section)
    {
        var found = OrchestratorSection.Find(name => name == variable ? value : null);

        Assert.Equal(variable, found!.Value.Variable);
        Assert.Equal(section, OrchestratorSection.Number(found.Value.Value));
    }

    [Fact]
    public void OrchestratorSection_PrefersKubernetes_AndIsNullWithoutEither()
    {
        Assert.Equal("JOB_COMPLETION_INDEX", OrchestratorSection.Find(_ => "1")!.Value.Variable);
        Assert.Null(OrchestratorSection.Find(_ => null));
        Assert.Null(OrchestratorSection.Number("-1"));
        Assert.Null(OrchestratorSection.Number("1.5"));
    }
}
