using System.Text.Json;
using System.Text.Json.Serialization;
using DdbCopy.Core.Aws;

namespace DdbCopy.Core.Schema;

/// <summary>
/// The JSON form of a <see cref="TableDefinition"/> (`ddbcopy schema export`, --schemaFile). --schemaFile also takes the
/// AWS shapes: CreateTable's input as the AWS CLI takes it, and DescribeTable's output (<see cref="AwsTableJson"/>).
/// </summary>
public static class TableDefinitionJson
{
    public static string Serialize(TableDefinition definition) =>
        JsonSerializer.Serialize(definition, TableDefinitionJsonContext.Default.TableDefinition);

    public static TableDefinition Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new DdbCopyException(FailureKind.Usage, $"Cannot read the schema file {path}: {ex.Message}", ex);
        }
    }

    /// <exception cref="JsonException">The text is not a table definition.</exception>
    public static TableDefinition Parse(string json)
    {
        var definition = System.Text.Json.Nodes.JsonNode.Parse(json) is System.Text.Json.Nodes.JsonObject root && AwsTableJson.IsAwsShape(root)
            ? AwsTableJson.ToDefinition(root)
            : JsonSerializer.Deserialize(json, TableDefinitionJsonContext.Default.TableDefinition) ?? throw new JsonException("the definition is empty");

        // A hand-written file may leave out the lists that are empty (the serializer then sets them to null).
        static Projection Whole(Projection? p) => p is null ? new Projection("ALL", []) : p with { NonKeyAttributes = p.NonKeyAttributes ?? [] };
        return definition with
        {
            GlobalSecondaryIndexes = (definition.GlobalSecondaryIndexes ?? []).Select(g => g with { Projection = Whole(g.Projection) }).ToList(),
            LocalSecondaryIndexes = (definition.LocalSecondaryIndexes ?? []).Select(l => l with { Projection = Whole(l.Projection) }).ToList(),
        };
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TableDefinition))]
internal sealed partial class TableDefinitionJsonContext : JsonSerializerContext;
