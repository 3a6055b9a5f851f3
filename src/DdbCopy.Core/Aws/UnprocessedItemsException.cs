namespace DdbCopy.Core.Aws;

/// <summary>
/// Raised inside a write attempt when BatchWriteItem returned UnprocessedItems, so the same retry pipeline
/// that handles throttling re-sends the rest after a backoff. (The writer's own subclass carries the items left.)
/// </summary>
public class UnprocessedItemsException : Exception
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
}
