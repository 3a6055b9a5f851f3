using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Jobs.Copying;
using DdbCopy.Tests.Fakes;

namespace DdbCopy.Tests.Copying;

public sealed class CopyPreflightTests
{
    private static SideSpec At(string endpoint) => new(EndpointSpec.TryParse(endpoint, null, out _)!, null);

    private static CopySettings Settings(string source, string destination, string sourceEndpoint, string destinationEndpoint) => new()
    {
        Source = At(sourceEndpoint),
        SourceTable = source,
        Destination = At(destinationEndpoint),
        DestinationTable = destination,
    };

    /// <summary>A DynamoDB-compatible server that describes tables without an ARN.</summary>
    private static FakeDynamoDbClient WithoutArns(params string[] tables)
    {
        var client = new FakeDynamoDbClient();
        foreach (var table in tables)
        {
            client.Tables[table] = new TableDescription
            {
                TableName = table,
                TableStatus = TableStatus.ACTIVE,
                KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
                AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
                ProvisionedThroughput = new ProvisionedThroughputDescription { ReadCapacityUnits = 10, WriteCapacityUnits = 10 },
            };
        }

        return client;
    }

    [Fact]
    public async Task DescribeBoth_OnAServerWithoutArns_TellsTwoTablesApartByName()
    {
        using var client = WithoutArns("a", "b");
        var (source, destination) = await CopyPreflight.DescribeBothAsync(client, client, Settings("a", "b", "http://localhost:8000", "http://localhost:8000"),
            TimeProvider.System, default);
        Assert.Equal("a", source.Name);
        Assert.Equal("b", destination!.Name);
    }

    [Theory]
    [InlineData("http://localhost:8000", "http://127.0.0.1:8000/")]
    [InlineData("localhost:8000", "http://[::1]:8000")]
    public async Task DescribeBoth_OnAServerWithoutArns_RefusesTheSameNameAtTheSameEndpoint(string sourceEndpoint, string destinationEndpoint)
    {
        using var client = WithoutArns("a");
        var error = await Assert.ThrowsAsync<DdbCopyException>(() =>
            CopyPreflight.DescribeBothAsync(client, client, Settings("a", "a", sourceEndpoint, destinationEndpoint), TimeProvider.System, default));
        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains("the same table", error.Message, StringComparison.Ordinal);
    }
}
