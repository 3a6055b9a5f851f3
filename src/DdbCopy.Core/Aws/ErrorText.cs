using Amazon.Runtime;

namespace DdbCopy.Core.Aws;

/// <summary>Turns an exception from the SDK into one line a user can read.</summary>
public static class ErrorText
{
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is AmazonServiceException { ErrorCode: { Length: > 0 } code } service)
        {
            return $"{code}: {OneLine(service.Message)}";
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

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
