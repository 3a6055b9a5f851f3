using DdbCopy.Core.Aws;

namespace DdbCopy.Tests.Aws;

public sealed class EndpointSpecTests
{
    [Theory]
    [InlineData("dynamodb.ap-northeast-2.amazonaws.com", null, "https://dynamodb.ap-northeast-2.amazonaws.com/", "ap-northeast-2", false)]
    [InlineData("https://dynamodb.eu-west-1.amazonaws.com", null, "https://dynamodb.eu-west-1.amazonaws.com/", "eu-west-1", false)]
    [InlineData("dynamodb-fips.us-gov-west-1.amazonaws.com", null, "https://dynamodb-fips.us-gov-west-1.amazonaws.com/", "us-gov-west-1", false)]
    [InlineData("dynamodb.cn-north-1.amazonaws.com.cn", null, "https://dynamodb.cn-north-1.amazonaws.com.cn/", "cn-north-1", false)]
    [InlineData("http://localhost:8000", null, "http://localhost:8000/", null, true)]
    [InlineData("localhost:8000", null, "http://localhost:8000/", null, true)]
    [InlineData("127.0.0.1:9000", "eu-central-1", "http://127.0.0.1:9000/", "eu-central-1", true)]
    [InlineData("dynamodb.us-east-1.amazonaws.com", "us-west-2", "https://dynamodb.us-east-1.amazonaws.com/", "us-west-2", false)]
    [InlineData("my-proxy.internal:8443", null, "https://my-proxy.internal:8443/", null, false)]
    public void TryParse_AcceptsHostNamesAndUrls(string endpoint, string? region, string url, string? expectedRegion, bool local)
    {
        var spec = EndpointSpec.TryParse(endpoint, region, out var error);

        Assert.Null(error);
        Assert.NotNull(spec);
        Assert.Equal(url, spec.ServiceUrl!.ToString());
        Assert.Equal(expectedRegion, spec.Region);
        Assert.Equal(local, spec.IsLocal);
    }

    [Fact]
    public void TryParse_WithoutAnEndpoint_UsesTheRegionsPublicEndpoint()
    {
        var spec = EndpointSpec.TryParse(null, "sa-east-1", out _);
        Assert.NotNull(spec);
        Assert.Null(spec.ServiceUrl);
        Assert.Equal("sa-east-1", spec.Region);
    }

    [Theory]
    [InlineData("ftp://example.com")]
    [InlineData("http://")]
    [InlineData("not a url at all")]
    public void TryParse_RejectsWhatCannotBeAnEndpoint(string endpoint)
    {
        Assert.Null(EndpointSpec.TryParse(endpoint, null, out var error));
        Assert.Contains("is not an endpoint", error, StringComparison.Ordinal);
    }
}
