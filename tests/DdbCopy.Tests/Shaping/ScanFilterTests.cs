using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Shaping;
using DdbCopy.Core.Sources.DynamoDb;
using DdbCopy.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace DdbCopy.Tests.Shaping;

public sealed class ScanFilterTests
{
    private static readonly ScanFilter Filter = (new ShapeSettings
    {
        FilterExpression = "#n > :v",
        Names = new Dictionary<string, string> { ["#n"] = "n", ["#unused"] = "x" },
        Values = new Dictionary<string, AttributeValue> { [":v"] = new() { N = "1" } },
    }).ScanFilter()!;

    [Fact]
    public async Task CheckWithDynamoDb_WhatDynamoDbRefuses_IsAUsageErrorWithItsReason()
    {
        using var client = new FakeDynamoDbClient
        {
            OnScan = _ => throw new AmazonDynamoDBException("Invalid FilterExpression: something only DynamoDB knows")
            {
                ErrorCode = "ValidationException", StatusCode = HttpStatusCode.BadRequest,
            },
        };

        var refused = await Assert.ThrowsAsync<DdbCopyException>(() => Filter.CheckWithDynamoDbAsync(client, "t", ControlPlane.Pipeline(new FakeTimeProvider()), default));

        Assert.Equal(FailureKind.Usage, refused.Kind);
        Assert.Contains("--filterExpression is refused by DynamoDB: Invalid FilterExpression: something only DynamoDB knows", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckWithDynamoDb_SendsOneItemsScanWithOnlyThePlaceholdersTheFilterUses()
    {
        ScanRequest? sent = null;
        using var client = new FakeDynamoDbClient { OnScan = r => { sent = r; return new ScanResponse { Items = [] }; } };

        await Filter.CheckWithDynamoDbAsync(client, "t", ControlPlane.Pipeline(new FakeTimeProvider()), default);

        Assert.Equal((1, "#n > :v"), (sent!.Limit, sent.FilterExpression));
        Assert.Equal(["#n"], sent.ExpressionAttributeNames.Keys);
    }

    [Fact]
    public async Task CheckWithDynamoDb_LeavesOtherFailuresToTheJob()
    {
        using var client = new FakeDynamoDbClient
        {
            OnScan = _ => throw new AmazonDynamoDBException("User is not authorized to perform: dynamodb:Scan")
            {
                ErrorCode = "AccessDeniedException", StatusCode = HttpStatusCode.BadRequest,
            },
        };

        await Filter.CheckWithDynamoDbAsync(client, "t", ControlPlane.Pipeline(new FakeTimeProvider()), default);

        Assert.Equal(["Scan"], client.Calls);
    }
}
