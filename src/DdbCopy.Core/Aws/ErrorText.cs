using Amazon.Runtime;

namespace DdbCopy.Core.Aws;

/// <summary>Turns an exception from the SDK into one line a user can read.</summary>
public static class ErrorText
{
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var ours = (Exception?)ErrorClassifier.Find<EndpointLostException>(exception) ?? ErrorClassifier.Find<RequestTimeoutException>(exception);
        if (ours is not null)
        {
            return OneLine(ours.Message);
        }

        if (exception is AmazonServiceException { ErrorCode: { Length: > 0 } code } service)
        {
            return $"{code}: {OneLine(service.Message)}";
        }

        if (IsLocalFileFailure(exception))
        {
            return OneLine(exception.Message);
        }

        if (ErrorClassifier.IsNetworkFailure(exception))
        {
            var innermost = exception;
            while (innermost.InnerException is not null)
            {
                innermost = innermost.InnerException;
            }

            return $"network error: {OneLine(innermost.Message)}";
        }

        return OneLine(exception.Message);
    }

    /// <summary>A file-system error (a file exists, a disk is full, access denied), not a broken connection.</summary>
    private static bool IsLocalFileFailure(Exception exception)
    {
        if (exception is not (IOException or UnauthorizedAccessException))
        {
            return false;
        }

        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or System.Net.Sockets.SocketException or System.Net.WebException)
            {
                return false;
            }
        }

        return true;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
