using System.Runtime.CompilerServices;
using DdbCopy.Cli.Commands;
using YamlDotNet.RepresentationModel;

namespace DdbCopy.Tests.Deploy;

/// <summary>
/// What GitHub needs of the Action and the release workflow (there is no GitHub here: checked with a YAML parser),
/// and that they agree with each other and with the CLI: the Action's inputs are ddbcopy flags, the archive names the
/// Action downloads are the ones the release uploads, and the Dockerfile runs the native binary as a non-root user.
/// </summary>
public sealed class PackagingTests
{
    private static string Root([CallerFilePath] string here = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", ".."));

    private static YamlMappingNode Yaml(string path) => YamlFile.Load(Path.Combine(Root(), path));

    private static YamlNode At(YamlNode node, params string[] path) => YamlFile.At(node, path);

    private static string Text(YamlNode node, params string[] path) => YamlFile.Text(node, path);

    [Fact]
    public void Action_IsACompositeActionWhoseInputsAreDdbcopyFlags_AndWhoseSummaryIsAnOutput()
    {
        var action = Yaml("action.yml");

        Assert.Equal("composite", Text(action, "runs", "using"));
        var inputs = Assert.IsType<YamlMappingNode>(At(action, "inputs")).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();
        Assert.Equal("true", Text(action, "inputs", "sourceTable", "required"));
        Assert.Equal("true", Text(action, "inputs", "destinationTable", "required"));
        var flags = inputs.Except(["args", "version", "repository"]).ToList();
        Assert.Contains("readThroughputRatio", flags);
        var parse = CopyCommand.Create().Parse(flags.SelectMany(f => new[] { "--" + f, f.EndsWith("Ratio", StringComparison.Ordinal) ? "0.5" : f.EndsWith("Endpoint", StringComparison.Ordinal) ? "http://localhost:8000" : "x" }).ToArray());
        Assert.True(parse.Errors.Count == 0, string.Join("; ", parse.Errors.Select(e => e.Message)));
        Assert.Contains("steps.copy.outputs.summary", Text(action, "outputs", "summary", "value"), StringComparison.Ordinal);
        var step = Assert.IsType<YamlSequenceNode>(At(action, "runs", "steps")).Children[0];
        Assert.Equal("copy", Text(step, "id"));
        Assert.Contains("action/run.sh", Text(step, "run"), StringComparison.Ordinal);
        var environment = Assert.IsType<YamlMappingNode>(At(step, "env")).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();
        var script = File.ReadAllText(Path.Combine(Root(), "action", "run.sh"));
        foreach (var input in inputs)
        {
            var variable = "INPUT_" + input.ToUpperInvariant();
            Assert.Contains(variable, environment);
            Assert.Contains(variable, script, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ReleaseWorkflow_BuildsEveryPlatformTheActionDownloads_WithChecksumsAndTheToolPackage()
    {
        var release = Yaml(".github/workflows/release.yml");
        var script = File.ReadAllText(Path.Combine(Root(), "action", "run.sh"));

        Assert.Equal("v*", ((YamlScalarNode)Assert.IsType<YamlSequenceNode>(At(release, "on", "push", "tags")).Children[0]).Value);
        var rids = Assert.IsType<YamlSequenceNode>(At(release, "jobs", "native", "strategy", "matrix", "include")).Children.Select(c => Text(c, "rid")).ToList();
        Assert.Equal(["linux-x64", "linux-arm64", "osx-arm64", "win-x64"], rids);
        foreach (var rid in rids)
        {
            Assert.Contains($"rid={rid}", script, StringComparison.Ordinal);
        }

        var steps = Assert.IsType<YamlSequenceNode>(At(release, "jobs", "release", "steps")).Children.OfType<YamlMappingNode>()
            .Select(s => s.Children.TryGetValue(new YamlScalarNode("run"), out var run) ? ((YamlScalarNode)run).Value! : "").ToList();
        Assert.Contains(steps, s => s.Contains("dotnet pack", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Contains("sha256sum ddbcopy-*", StringComparison.Ordinal) && s.Contains("SHA256SUMS", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Contains("gh release create", StringComparison.Ordinal));
        Assert.Contains("ddbcopy-$rid.tar.gz", script, StringComparison.Ordinal);
        Assert.Contains("SHA256SUMS", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_RunsTheNativeBinaryAloneOnAChiseledBase_AsANonRootUser()
    {
        var lines = File.ReadAllLines(Path.Combine(Root(), "Dockerfile")).Where(l => !l.StartsWith('#') && l.Length > 0).ToList();
        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, stages.Count);
        Assert.Contains("chiseled", stages[^1], StringComparison.Ordinal);
        var final = lines.SkipWhile(l => l != stages[^1]).ToList();
        Assert.Contains(final, l => l.StartsWith("COPY --from=build", StringComparison.Ordinal) && l.Contains("artifacts/native/linux-x64/ddbcopy", StringComparison.Ordinal));
        Assert.Contains("USER app", final);
        Assert.Contains(final, l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("scripts/publish-native.sh", StringComparison.Ordinal));
    }
}
