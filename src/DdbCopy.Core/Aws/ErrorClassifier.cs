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
        if (Find<EndpointLostException>(exception) is not null)
        {
            return ErrorClass.Fatal;
        }

        if (Find<RequestTimeoutException>(exception) is not null)
        {
            return ErrorClass.Retryable;
        }

        switch (exception)
        {
            case UnprocessedItemsException:
                return ErrorClass.Throttled;
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return ErrorClass.Fatal;
            case OperationCanceledException:
                return ErrorClass.Retryable; // An HTTP timeout, not our cancellation.
            case AmazonServiceException { ErrorCode: "LimitExceededException" } quota
                when quota.Message?.Contains("decrease", StringComparison.OrdinalIgnoreCase) == true:
                return ErrorClass.Fatal; // The daily quota of capacity decreases: no retry helps today.
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
            if (e is HttpRequestException or IOException or SocketException or WebException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when DynamoDB refused a write for what is in it (ValidationException: an empty set, a number out of range,
    /// a key of the wrong type, an item too large, duplicate keys in one batch; or a full item collection): sending it
    /// again cannot help, but the other items of its batch may be fine.
    /// </summary>
    public static bool IsItemRefusal(Exception exception) =>
        exception is AmazonServiceException { ErrorCode: "ValidationException" or "ItemCollectionSizeLimitExceededException" };

    /// <summary>The exception, or the innermost of its causes, of type <typeparamref name="T"/>; null when none is.</summary>
    public static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    public static bool IsRetryable(Exception exception, CancellationToken cancellationToken = default) =>
        Classify(exception, cancellationToken) != ErrorClass.Fatal;
}
