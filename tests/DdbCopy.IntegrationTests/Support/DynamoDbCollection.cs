namespace DdbCopy.IntegrationTests.Support;

/// <summary>Every integration test shares one DynamoDB Local and runs one at a time (2 cores: the server is the bottleneck).</summary>
[CollectionDefinition(Name)]
public sealed class DynamoDbCollection : ICollectionFixture<DynamoDbFixture>
{
    public const string Name = "DynamoDB Local";
}
