using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using DdbCopy.Core.Aws;

namespace DdbCopy.Tests.Aws;

public sealed class ErrorClassifierTests
{
    private static AmazonDynamoDBException Service(string code, HttpStatusCode status) =>
        new($"{code} happened") { ErrorCode = code, StatusCode = status };

    [Theory]
    [InlineData("ProvisionedThroughputExceededException", HttpStatusCode.BadRequest)]
    [InlineData("ThrottlingException", HttpStatusCode.BadRequest)]
    [InlineData("RequestLimitExceeded", HttpStatusCode.BadRequest)]
    [InlineData("Anything", HttpStatusCode.TooManyRequests)]
    public void Classify_ThrottlingErrors_AreThrottled(string code, HttpStatusCode status) =>
        Assert.Equal(ErrorClass.Throttled, ErrorClassifier.Classify(Service(code, status)));

    [Theory]
    [InlineData("InternalServerError", HttpStatusCode.InternalServerError)]
    [InlineData("ServiceUnavailable", HttpStatusCode.ServiceUnavailable)]
    [InlineData("", HttpStatusCode.BadGateway)]
    public void Classify_ServerErrors_AreRetryable(string code, HttpStatusCode status) =>
        Assert.Equal(ErrorClass.Retryable, ErrorClassifier.Classify(Service(code, status)));

    [Theory]
    [InlineData("ValidationException")]
    [InlineData("ResourceNotFoundException")]
    [InlineData("AccessDeniedException")]
    [InlineData("UnrecognizedClientException")]
    [InlineData("ConditionalCheckFailedException")]
    public void Classify_ClientErrors_AreFatal(string code) =>
        Assert.Equal(ErrorClass.Fatal, ErrorClassifier.Classify(Service(code, HttpStatusCode.BadRequest)));

    [Fact]
    public void Classify_TypedExceptions_UseTheirErrorCode()
    {
        Assert.Equal(ErrorClass.Fatal, ErrorClassifier.Classify(new ResourceNotFoundException("gone") { ErrorCode = "ResourceNotFoundException", StatusCode = HttpStatusCode.BadRequest }));
        Assert.Equal(ErrorClass.Throttled, ErrorClassifier.Classify(new ProvisionedThroughputExceededException("slow") { ErrorCode = "ProvisionedThroughputExceededException", StatusCode = HttpStatusCode.BadRequest }));
    }

    [Fact]
    public void Classify_NetworkFailures_AreRetryable()
    {
        Assert.Equal(ErrorClass.Retryable, ErrorClassifier.Classify(new HttpRequestException("reset", new SocketException((int)SocketError.ConnectionReset))));
        Assert.Equal(ErrorClass.Retryable, ErrorClassifier.Classify(new AmazonServiceException("wrapped", new IOException("broken pipe"))));
        Assert.Equal(ErrorClass.Retryable, ErrorClassifier.Classify(new AmazonUnmarshallingException("req", "/", new FormatException("bad json"), HttpStatusCode.OK)));
    }

    [Fact]
    public void Classify_UnprocessedItems_AreThrottled() =>
        Assert.Equal(ErrorClass.Throttled, ErrorClassifier.Classify(new DdbCopy.Core.Sinks.DynamoDb.UnprocessedBatchException(new DdbCopy.Core.Engine.WriteBatch([], []))));

    [Fact]
    public void Classify_OurOwnCancellation_IsFatalButAnHttpTimeoutIsRetryable()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Equal(ErrorClass.Fatal, ErrorClassifier.Classify(new OperationCanceledException(cts.Token), cts.Token));
        Assert.Equal(ErrorClass.Retryable, ErrorClassifier.Classify(new TaskCanceledException("timeout"), CancellationToken.None));
    }

    [Fact]
    public void Classify_AnythingElse_IsFatal() =>
        Assert.Equal(ErrorClass.Fatal, ErrorClassifier.Classify(new InvalidOperationException("bug")));

    [Fact]
    public void Describe_TellsAFileErrorFromABrokenConnection()
    {
        Assert.Equal("The file '/x' already exists.", ErrorText.Describe(new IOException("The file '/x' already exists.")));
        Assert.Equal("network error: Connection refused",
            ErrorText.Describe(new HttpRequestException("outer", new System.Net.Sockets.SocketException(111, "Connection refused"))));
        Assert.Equal("network error: reset", ErrorText.Describe(new IOException("outer", new System.Net.Sockets.SocketException(104, "reset"))));
    }
}
