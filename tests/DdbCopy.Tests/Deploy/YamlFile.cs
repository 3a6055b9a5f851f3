using YamlDotNet.RepresentationModel;

namespace DdbCopy.Tests.Deploy;

/// <summary>Reads a one-document YAML file and walks it by keys, failing the test with the missing key's name.</summary>
internal static class YamlFile
{
    public static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)Assert.Single(stream.Documents).RootNode;
    }

    public static YamlNode At(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            var map = Assert.IsType<YamlMappingNode>(node);
            Assert.True(map.Children.TryGetValue(new YamlScalarNode(key), out var child), $"missing '{key}'");
            node = child!;
        }

        return node;
    }

    public static string Text(YamlNode node, params string[] path) => Assert.IsType<YamlScalarNode>(At(node, path)).Value!;
}
