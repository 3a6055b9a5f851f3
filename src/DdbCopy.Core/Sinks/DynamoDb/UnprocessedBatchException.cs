using DdbCopy.Core.Aws;
using DdbCopy.Core.Engine;

namespace DdbCopy.Core.Sinks.DynamoDb;

/// <summary>UnprocessedItems from a batch write, with the items the service did not process (written again or dead-lettered).</summary>
public sealed class UnprocessedBatchException : UnprocessedItemsException
{
    public UnprocessedBatchException()
    {
    }

    public UnprocessedBatchException(string message)
        : base(message)
    {
    }

    public UnprocessedBatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UnprocessedBatchException(WriteBatch batch)
        : base($"{batch?.Count} items were returned as UnprocessedItems again and again (throttled)")
    {
        Batch = batch;
    }

    /// <summary>The items the service did not process.</summary>
    public WriteBatch? Batch { get; }
}
