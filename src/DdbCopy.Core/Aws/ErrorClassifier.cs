using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;

namespace DdbCopy.Core.Aws;

/// <summary>The one place that decides whether a failed DynamoDB request is throttled, retryable or fatal.</summary>
public static class ErrorClassifier
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "LimitExceededException",
        "TooManyRequestsException",
        "SlowDown",
    };

    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "InternalServerError",
        "InternalFailure",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "RequestTimeout",
        "RequestTimeoutException",
        "TransactionInProgressException",
    };

    public static ErrorClass Classify(Exception exception, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case UnprocessedItemsException:
                return ErrorClass.Throttled;
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return ErrorClass.Fatal;
            case OperationCanceledException:
                return ErrorClass.Retryable; // An HTTP timeout, not our cancellation.
            case AmazonServiceException service when service.ErrorCode is { } code && ThrottlingCodes.Contains(code):
                return ErrorClass.Throttled;
            case AmazonServiceException { StatusCode: HttpStatusCode.TooManyRequests }:
                return ErrorClass.Throttled;
            case AmazonServiceException service when service.ErrorCode is { } code && TransientCodes.Contains(code):
                return ErrorClass.Retryable;
            case AmazonServiceException service when (int)service.StatusCode >= 500:
                return ErrorClass.Retryable;
            case AmazonServiceException service when service.ErrorCode is not null && (int)service.StatusCode is >= 400 and < 500:
                return ErrorClass.Fatal;
            case AmazonUnmarshallingException:
                return ErrorClass.Retryable; // A truncated or garbled response body.
            default:
                return IsNetworkFailure(exception) ? ErrorClass.Retryable : ErrorClass.Fatal;
        }
    }

    /// <summary>True when the request never got an answer: refused or reset connection, DNS failure, broken stream.</summary>
    public static bool IsNetworkFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or IOException or SocketException or WebException)
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsRetryable(Exception exception, CancellationToken cancellationToken = default) =>
        Classify(exception, cancellationToken) != ErrorClass.Fatal;
}
