namespace DdbCopy.Core.Aws;

/// <summary>What to do about a failed request.</summary>
public enum ErrorClass
{
    /// <summary>The service asked us to slow down: retry after a backoff.</summary>
    Throttled,

    /// <summary>A passing fault (5xx, network, timeout): retry after a backoff.</summary>
    Retryable,

    /// <summary>Retrying cannot help (validation, missing table, access denied, cancellation).</summary>
    Fatal,
}
