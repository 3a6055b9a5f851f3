using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Engine;

/// <summary>
/// Where an item goes that DynamoDB refuses outright (ValidationException: an empty set, a number out of range, a key
/// of the wrong type, ...) once the batch writer has isolated it in a batch of its own: a copy dead-letters it with the
/// reason, an import rejects it with its file and line. Implementations count it in the counters they are given.
/// </summary>
public interface IRefusedItems
{
    Task RefuseAsync(Dictionary<string, AttributeValue> item, ItemOrigin? origin, string reason, TransferCounters counters);
}
