using DdbCopy.Core.Schema;

namespace DdbCopy.Tests.Schema;

public sealed class TableDefinitionJsonTests
{
    [Fact]
    public void Parse_TakesTheAwsCliCreateTableShape()
    {
        var definition = TableDefinitionJson.Parse("""
            {"TableName":"Orders","BillingMode":"PAY_PER_REQUEST",
             "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"N"}],
             "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
             "GlobalSecondaryIndexes":[{"IndexName":"by-g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],
               "Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["a"]}}],
             "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"},
             "Tags":[{"Key":"team","Value":"data"}],"DeletionProtectionEnabled":true,"TableClass":"STANDARD_INFREQUENT_ACCESS"}
            """);

        Assert.Equal("Orders", definition.TableName);
        Assert.Equal("PAY_PER_REQUEST", definition.BillingMode);
        Assert.Equal([new KeyElement("pk", "HASH"), new KeyElement("sk", "RANGE")], definition.KeySchema);
        Assert.Equal(new AttributeType("g", "N"), definition.AttributeDefinitions[2]);
        Assert.Equal("by-g", Assert.Single(definition.GlobalSecondaryIndexes).IndexName);
        Assert.Equal(["a"], definition.GlobalSecondaryIndexes[0].Projection.NonKeyAttributes);
        Assert.Equal("NEW_IMAGE", definition.StreamViewType);
        Assert.Equal("data", definition.Tags!["team"]);
        Assert.True(definition.DeletionProtection);
        Assert.Equal("STANDARD_INFREQUENT_ACCESS", definition.TableClass);
    }

    [Fact]
    public void Parse_TakesDescribeTablesAnswer_AndProvisionedByDefault()
    {
        var definition = TableDefinitionJson.Parse("""
            {"Table":{"TableName":"T","TableStatus":"ACTIVE","ItemCount":3,
              "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"N"}],"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
              "ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":5,"WriteCapacityUnits":7}}}
            """);

        Assert.Equal(("T", "PROVISIONED", new Throughput(5, 7)), (definition.TableName, definition.BillingMode, definition.ProvisionedThroughput));
        Assert.Empty(definition.GlobalSecondaryIndexes);
    }

    [Fact]
    public void Parse_StillTakesDdbcopysOwnShape_AndAMissingFieldIsNamed()
    {
        var own = TableDefinitionJson.Parse(TableDefinitionJson.Serialize(new TableDefinition
        {
            TableName = "x", KeySchema = [new KeyElement("pk", "HASH")], AttributeDefinitions = [new AttributeType("pk", "S")], BillingMode = "PAY_PER_REQUEST",
        }));
        var missing = Assert.Throws<System.Text.Json.JsonException>(() => TableDefinitionJson.Parse("""{"TableName":"x","KeySchema":[]}"""));

        Assert.Equal("x", own.TableName);
        Assert.Contains("'AttributeDefinitions'", missing.Message, StringComparison.Ordinal);
    }
}
