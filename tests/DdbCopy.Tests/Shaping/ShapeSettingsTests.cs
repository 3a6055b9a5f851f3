using System.Text;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Shaping;

namespace DdbCopy.Tests.Shaping;

public sealed class ShapeSettingsTests
{
    private static readonly ShapeSettings Masking = new()
    {
        FilterExpression = "#t = :t",
        Names = new Dictionary<string, string> { ["#t"] = "tenant" },
        Values = new Dictionary<string, AttributeValue> { [":t"] = new() { S = "acme" } },
        MaskPaths = ["email"],
        MaskKey = Encoding.UTF8.GetBytes("the secret masking key, 32 bytes"),
    };

    [Fact]
    public void JobOptions_NameTheShaping_WithAFingerprintOfTheKeyNeverTheKey()
    {
        var options = ShapedJob.Options("compression gzip", Masking)!;

        Assert.StartsWith("compression gzip; shape filter #t = :t [#t=tenant; :t=", options, StringComparison.Ordinal);
        Assert.Contains("mask email (key ", options, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", options, StringComparison.Ordinal);
        Assert.Equal("compression gzip", ShapedJob.Options("compression gzip", ShapeSettings.None)); // older checkpoints still match
    }

    [Fact]
    public void JobOptions_DifferWithAnotherMaskKey_SoAResumeWithItIsRefused()
    {
        var other = Masking with { MaskKey = Encoding.UTF8.GetBytes("another masking key of 32 bytes!") };

        Assert.NotEqual(ShapedJob.Options(null, Masking), ShapedJob.Options(null, other));
    }

    [Fact]
    public void ScanFilter_CarriesOnlyThePlaceholdersTheFilterUses()
    {
        var settings = Masking with
        {
            ProjectionExpression = "#n",
            Names = new Dictionary<string, string> { ["#t"] = "tenant", ["#n"] = "name" },
        };

        var filter = settings.ScanFilter()!;

        Assert.Equal(["#t"], filter.Names.Keys);
        Assert.Equal([":t"], filter.Values.Keys);
        Assert.Null(ShapeSettings.None.ScanFilter());
    }
}
