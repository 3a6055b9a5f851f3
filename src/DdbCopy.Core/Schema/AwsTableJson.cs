using System.Text.Json;
using System.Text.Json.Nodes;

namespace DdbCopy.Core.Schema;

/// <summary>
/// A table definition in the AWS shapes: CreateTable's input as the AWS CLI takes it (<c>aws dynamodb create-table
/// --cli-input-json</c>: TableName, AttributeDefinitions with AttributeType, KeySchema, BillingMode, ...) and
/// DescribeTable's output (<c>{"Table":{...}}</c>, as <c>aws dynamodb describe-table</c> prints it). Read by hand from the
/// JSON tree: the two shapes name the same things differently, and an SDK model would not parse without reflection.
/// </summary>
internal static class AwsTableJson
{
    /// <summary>True when <paramref name="root"/> is in an AWS shape (its names are PascalCase, or it is DescribeTable's answer).</summary>
    public static bool IsAwsShape(JsonObject root) => root.ContainsKey("Table") || root.ContainsKey("TableName") || root.ContainsKey("KeySchema");

    /// <exception cref="JsonException">A required field is missing or not of its type; the message names it.</exception>
    public static TableDefinition ToDefinition(JsonObject root)
    {
        var table = root["Table"] as JsonObject ?? root;
        var billing = Text(table, "BillingMode") ?? Text(table["BillingModeSummary"] as JsonObject, "BillingMode") ?? "PROVISIONED";
        var stream = table["StreamSpecification"] as JsonObject;
        var sse = table["SSESpecification"] as JsonObject ?? table["SSEDescription"] as JsonObject;
        var sseEnabled = sse is not null && (sse["Enabled"]?.GetValue<bool>() ?? Text(sse, "Status") is null or "ENABLED" or "ENABLING");
        return new TableDefinition
        {
            TableName = Required(table, "TableName"),
            KeySchema = Keys(table, "KeySchema"),
            AttributeDefinitions = List(table, "AttributeDefinitions", required: true)
                .Select(a => new AttributeType(Required(a, "AttributeName"), Required(a, "AttributeType"))).ToList(),
            BillingMode = billing,
            ProvisionedThroughput = billing == "PAY_PER_REQUEST" ? null : Throughput(table["ProvisionedThroughput"] as JsonObject),
            OnDemandThroughput = OnDemand(table["OnDemandThroughput"] as JsonObject),
            GlobalSecondaryIndexes = List(table, "GlobalSecondaryIndexes").Select(g => new GlobalIndex(Required(g, "IndexName"), Keys(g, "KeySchema"),
                ProjectionOf(g), billing == "PAY_PER_REQUEST" ? null : Throughput(g["ProvisionedThroughput"] as JsonObject), OnDemand(g["OnDemandThroughput"] as JsonObject))).ToList(),
            LocalSecondaryIndexes = List(table, "LocalSecondaryIndexes").Select(l => new LocalIndex(Required(l, "IndexName"), Keys(l, "KeySchema"), ProjectionOf(l))).ToList(),
            StreamViewType = stream?["StreamEnabled"]?.GetValue<bool>() == true ? Text(stream, "StreamViewType") ?? "NEW_AND_OLD_IMAGES" : null,
            TableClass = Text(table, "TableClass") ?? Text(table["TableClassSummary"] as JsonObject, "TableClass"),
            SseDescription = sseEnabled ? new Encryption(Text(sse, "SSEType") ?? "KMS", Text(sse, "KMSMasterKeyId") ?? Text(sse, "KMSMasterKeyArn")) : null,
            Tags = table["Tags"] is JsonArray tags ? tags.OfType<JsonObject>().ToDictionary(t => Required(t, "Key"), t => Text(t, "Value") ?? "", StringComparer.Ordinal) : null,
            DeletionProtection = table["DeletionProtectionEnabled"]?.GetValue<bool>() ?? false,
        };
    }

    private static List<KeyElement> Keys(JsonObject owner, string name) =>
        List(owner, name, required: true).Select(k => new KeyElement(Required(k, "AttributeName"), Required(k, "KeyType"))).ToList();

    private static Projection ProjectionOf(JsonObject index) => index["Projection"] is JsonObject p
        ? new Projection(Text(p, "ProjectionType") ?? "ALL", p["NonKeyAttributes"] is JsonArray a ? a.Select(n => n!.GetValue<string>()).ToList() : [])
        : new Projection("ALL", []);

    private static Throughput? Throughput(JsonObject? value) => value is null
        ? null
        : new Throughput(value["ReadCapacityUnits"]?.GetValue<long>() ?? 0, value["WriteCapacityUnits"]?.GetValue<long>() ?? 0);

    private static OnDemandLimits? OnDemand(JsonObject? value) => value is null
        ? null
        : new OnDemandLimits(value["MaxReadRequestUnits"]?.GetValue<long>(), value["MaxWriteRequestUnits"]?.GetValue<long>());

    private static IEnumerable<JsonObject> List(JsonObject owner, string name, bool required = false) => owner[name] switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        null when !required => [],
        _ => throw new JsonException($"'{name}' must be a list"),
    };

    private static string Required(JsonObject owner, string name) => Text(owner, name) ?? throw new JsonException($"'{name}' is missing");

    private static string? Text(JsonObject? owner, string name) => owner?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
