using DdbCopy.Core.Schema;

namespace DdbCopy.Tests.Schema;

public sealed class CreateTableRequestFactoryTests
{
    [Fact]
    public void Build_CarriesEveryCreatableSetting()
    {
        var request = CreateTableRequestFactory.Build(TableCreatorTests.Full());

        Assert.Equal("orders", request.TableName);
        Assert.Equal(["pk", "sk"], request.KeySchema.Select(k => k.AttributeName));
        Assert.Equal("PROVISIONED", request.BillingMode.Value);
        Assert.Equal(200, request.ProvisionedThroughput.WriteCapacityUnits);
        Assert.Equal("INCLUDE", request.GlobalSecondaryIndexes.Single().Projection.ProjectionType.Value);
        Assert.Equal(20, request.GlobalSecondaryIndexes.Single().ProvisionedThroughput.WriteCapacityUnits);
        Assert.Equal("NEW_IMAGE", request.StreamSpecification.StreamViewType.Value);
        Assert.Equal("STANDARD_INFREQUENT_ACCESS", request.TableClass.Value);
        Assert.True(request.DeletionProtectionEnabled);
        Assert.Equal("KMS", request.SSESpecification.SSEType.Value);
    }

    [Fact]
    public void Build_ForOnDemand_SendsNoThroughput()
    {
        var request = CreateTableRequestFactory.Build(new CreateOverrides(BillingMode: "PAY_PER_REQUEST").Apply(TableCreatorTests.Full(), "t"));

        Assert.Equal("PAY_PER_REQUEST", request.BillingMode.Value);
        Assert.Null(request.ProvisionedThroughput);
        Assert.Null(request.GlobalSecondaryIndexes.Single().ProvisionedThroughput);
    }
}
