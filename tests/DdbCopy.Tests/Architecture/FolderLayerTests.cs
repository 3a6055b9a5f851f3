using System.Text.RegularExpressions;

namespace DdbCopy.Tests.Architecture;

/// <summary>
/// The house rules, read from the sources (a folder is a namespace: <c>using DdbCopy.Core.X</c> lines and <c>X.Type</c>
/// references): no project under src/ has a cycle between its folders, and the Core's folders sit in layers where a
/// folder references only folders of lower layers. A new folder must be given a layer here. And no file is over 300 lines.
/// </summary>
public sealed partial class FolderLayerTests
{
    /// <summary>The Core's layers, lowest first (docs/architecture.md draws them).</summary>
    private static readonly string[][] CoreLayers =
    [
        ["Items", "Formats", "Telemetry"], // values, canonical forms, sizes; their JSON forms, manifests, compression; the meters
        ["Aws"],                        // clients, endpoints, retries, errors (DdbCopyException and the classifier), the service's limits
        ["Storage", "Schema"],          // folders and S3; table definitions
        ["Capacity"],                   // budgets, plans, the adaptive rate
        ["Engine"],                     // the job harness: TransferJob, checkpoints, dead letters, rejects, stops, progress
        ["Sources", "Sinks"],           // where items come from (a table, files, MySQL, a stream) and go to (a table, files, changes)
        ["Shaping"],                    // filters, projections, renames, masks, transforms over any source
        ["Jobs"],                       // copy, export, import, verify, generate, follow: compositions, one sub-folder each
    ];

    /// <summary>At most half of the 129 folder-to-folder references the Core had before the redesign (issue 22).</summary>
    private const int MaxCoreFolderEdges = 64;

    [Fact]
    public void TheCoresFolders_ReferenceOnlyLowerLayers()
    {
        var layerOf = CoreLayers.SelectMany((folders, layer) => folders.Select(f => (f, layer))).ToDictionary(p => p.f, p => p.layer);
        var graph = Graph("DdbCopy.Core");

        var unplaced = graph.Keys.Where(f => !layerOf.ContainsKey(f)).ToList();
        Assert.True(unplaced.Count == 0, $"Give these folders a layer in {nameof(CoreLayers)}: {string.Join(", ", unplaced)}");
        var upward = graph.SelectMany(kv => kv.Value.Where(to => layerOf[to] >= layerOf[kv.Key]).Select(to => $"{kv.Key} -> {to}")).ToList();
        Assert.True(upward.Count == 0, "A folder references its own layer or one above it: " + string.Join("; ", upward));
    }

    [Fact]
    public void TheCoresFolderReferences_AreAtMostHalfOfWhatTheyWere()
    {
        var edges = Graph("DdbCopy.Core").Sum(kv => kv.Value.Count);

        Assert.True(edges <= MaxCoreFolderEdges, $"{edges} folder-to-folder references, at most {MaxCoreFolderEdges} allowed");
    }

    /// <summary>
    /// Inside a folder, its sub-folders are kinds of one role (a job, a source kind, a sink kind): a sub-folder may use
    /// its parent's shared types and its own sub-folders, never a sibling's (no job uses another job, no source kind
    /// another kind), and no sub-folders form a cycle.
    /// </summary>
    [Fact]
    public void NoSubFolder_ReferencesASibling_OrACycle()
    {
        var graph = SubFolderGraph("DdbCopy.Core");

        var sideways = graph.SelectMany(kv => kv.Value.Where(to => Parent(to) == Parent(kv.Key) && Parent(to) is not null)
            .Select(to => $"{kv.Key} -> {to}")).ToList();
        Assert.True(sideways.Count == 0, "A sub-folder references a sibling: " + string.Join("; ", sideways));
        var cycles = StronglyConnected(graph).Where(c => c.Count > 1).ToList();
        Assert.True(cycles.Count == 0, string.Join("; ", cycles.Select(c => "cycle: " + string.Join(", ", c))));
    }

    [Theory]
    [InlineData("DdbCopy.Core")]
    [InlineData("DdbCopy.Cli")]
    public void NoProject_HasAFolderCycle(string project)
    {
        var graph = Graph(project);
        var cycles = StronglyConnected(graph).Where(c => c.Count > 1).ToList();

        Assert.True(cycles.Count == 0, string.Join("; ", cycles.Select(c =>
            "cycle: " + string.Join(", ", c.SelectMany(a => graph[a].Where(c.Contains).Select(b => $"{a} -> {b}"))))));
    }

    [Fact]
    public void NoSourceFile_IsLongerThan300Lines()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var tooLong = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (File: Path.GetRelativePath(src, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > 300)
            .Select(f => $"{f.File} ({f.Lines})")
            .ToList();

        Assert.True(tooLong.Count == 0, "Split these files: " + string.Join(", ", tooLong));
    }

    [Fact]
    public void TheCheck_FindsACycle_WhenThereIsOne()
    {
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = ["A"],
        };

        Assert.Equal([["A", "B", "C"]], StronglyConnected(graph).Where(c => c.Count > 1).Select(c => c.Order(StringComparer.Ordinal).ToList()));
    }

    [Fact]
    public void TheReader_SeesUsingLinesAndQualifiedNames_ButNotComments()
    {
        var refs = References("""
            using DdbCopy.Core.Aws;
            using static DdbCopy.Core.Items.AttributeValues;
            // using DdbCopy.Core.Jobs.Copying;
            var x = Engine.Checkpoints.CheckpointFile.DefaultPath("copy");
            var y = myEngine.Run(); var z = Schema.TableInfo.Empty;
            """, "DdbCopy.Core", ["Aws", "Items", "Copying", "Engine", "Schema"]);

        Assert.Equal(["Aws", "Engine", "Items", "Schema"], refs.Order(StringComparer.Ordinal));
    }

    private static Dictionary<string, HashSet<string>> Graph(string project)
    {
        var root = Path.Combine(RepositoryRoot(), "src", project);
        var folders = Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>()
            .Where(f => f is not ("bin" or "obj")).ToList();
        var graph = folders.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories)
                         .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            {
                graph[folder].UnionWith(References(File.ReadAllText(file), project, folders).Where(r => r != folder));
            }
        }

        return graph;
    }

    /// <summary>Every folder holding source files, by its dotted path ("Jobs.Copying", "Sources"), and the folders it references.</summary>
    private static Dictionary<string, HashSet<string>> SubFolderGraph(string project)
    {
        var root = Path.Combine(RepositoryRoot(), "src", project);
        var units = Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories)
            .Select(d => Path.GetRelativePath(root, d))
            .Where(d => !d.StartsWith("bin", StringComparison.Ordinal) && !d.StartsWith("obj", StringComparison.Ordinal))
            .Where(d => Directory.EnumerateFiles(Path.Combine(root, d), "*.cs").Any())
            .ToDictionary(d => d.Replace(Path.DirectorySeparatorChar, '.'), d => Path.Combine(root, d), StringComparer.Ordinal);
        var graph = units.Keys.ToDictionary(u => u, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        var byLength = units.Keys.OrderByDescending(u => u.Length).ToList();
        foreach (var (unit, folder) in units)
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.cs"))
            {
                var code = LineComment().Replace(File.ReadAllText(file), "");
                foreach (Match m in Regex.Matches(code, @"^\s*using\s+(?:static\s+)?" + Regex.Escape(project) + @"\.([\w.]+);", RegexOptions.Multiline))
                {
                    if (byLength.FirstOrDefault(u => m.Groups[1].Value == u || m.Groups[1].Value.StartsWith(u + ".", StringComparison.Ordinal)) is { } to
                        && to != unit)
                    {
                        graph[unit].Add(to);
                    }
                }
            }
        }

        return graph;
    }

    private static string? Parent(string unit) => unit.LastIndexOf('.') is var i and > 0 ? unit[..i] : null;

    private static HashSet<string> References(string code, string project, IReadOnlyCollection<string> folders)
    {
        code = LineComment().Replace(code, "");
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in Regex.Matches(code, @"^\s*using\s+(?:static\s+)?" + Regex.Escape(project) + @"\.(\w+)", RegexOptions.Multiline))
        {
            found.Add(m.Groups[1].Value);
        }

        foreach (Match m in Regex.Matches(code, @"(?<![\w.])(" + string.Join("|", folders.Select(Regex.Escape)) + @")\.[A-Z]\w*"))
        {
            found.Add(m.Groups[1].Value);
        }

        found.IntersectWith(folders);
        return found;
    }

    /// <summary>Tarjan's strongly connected components.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var components = new List<List<string>>();

        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.GetValueOrDefault(v) ?? [])
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                components.Add(component);
            }
        }

        foreach (var v in graph.Keys.Where(v => !index.ContainsKey(v)).ToList())
        {
            Visit(v);
        }

        return components;
    }

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", ".."));

    [GeneratedRegex(@"//.*")]
    private static partial Regex LineComment();
}
