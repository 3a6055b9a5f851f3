namespace DdbCopy.Core.Aws;

/// <summary>
/// Raised inside a write attempt when BatchWriteItem returned UnprocessedItems, so the same retry pipeline
/// that handles throttling re-sends the rest after a backoff.
/// </summary>
public sealed class UnprocessedItemsException : Exception
{
    public UnprocessedItemsException()
    {
    }

    public UnprocessedItemsException(string message)
        : base(message)
    {
    }

    public UnprocessedItemsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UnprocessedItemsException(Engine.WriteBatch batch)
        : base($"{batch?.Count} items were returned as UnprocessedItems again and again (throttled)")
    {
        Batch = batch;
    }

    /// <summary>The items the service did not process.</summary>
    public Engine.WriteBatch? Batch { get; }
}
