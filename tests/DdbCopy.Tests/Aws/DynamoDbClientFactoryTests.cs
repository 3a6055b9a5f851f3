using Amazon.Runtime;
using DdbCopy.Core.Aws;

namespace DdbCopy.Tests.Aws;

public sealed class DynamoDbClientFactoryTests
{
    private static readonly EndpointSpec Local = EndpointSpec.TryParse("http://localhost:8000", null, out _)!;

    [Fact]
    public void AssumeRole_UsesTheRoleTheExternalIdAndANamedSession()
    {
        var credentials = DynamoDbClientFactory.AssumeRole(new BasicAWSCredentials("a", "b"), "arn:aws:iam::210987654321:role/copy", "shared-secret", "destination");

        Assert.Equal("arn:aws:iam::210987654321:role/copy", credentials.RoleArn);
        Assert.Equal("ddbcopy-destination", credentials.RoleSessionName);
        Assert.Equal("shared-secret", credentials.Options.ExternalId);
    }

    [Fact]
    public void Identity_NamesProfileAndRoleButNoSecret()
    {
        var side = new SideSpec(Local, "prod", "arn:aws:iam::1:role/r", "shared-secret");

        Assert.Equal("profile prod, assuming arn:aws:iam::1:role/r (with an external id)", side.Identity);
        Assert.DoesNotContain("shared-secret", side.Identity, StringComparison.Ordinal);
        Assert.Equal("the default credential chain", new SideSpec(Local, null).Identity);
    }

    [Fact]
    public void Create_WithAnUnknownProfile_IsAUsageError()
    {
        var error = Assert.Throws<DdbCopyException>(() => DynamoDbClientFactory.Create(new SideSpec(Local, "no-such-profile-" + Guid.NewGuid()), "source"));

        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.StartsWith("The source profile 'no-such-profile-", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ForALocalEndpoint_NeedsNoConfiguredCredentials()
    {
        using var client = DynamoDbClientFactory.Create(new SideSpec(Local, null), "source");
        Assert.Equal("http://localhost:8000/", client.Config.ServiceURL);
        Assert.Equal(0, client.Config.MaxErrorRetry);
    }
}
