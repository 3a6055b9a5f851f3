using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Engine;

/// <summary>A copy's refused items: recorded in the dead-letter file with DynamoDB's reason, counted as failed.</summary>
internal sealed class DeadLetterRefusals(DeadLetterFile deadLetters, ILogger logger) : IRefusedItems
{
    public async Task RefuseAsync(Dictionary<string, AttributeValue> item, ItemOrigin? origin, string reason, TransferCounters counters)
    {
        await deadLetters.WriteRefusedAsync(item, reason);
        counters.AddFailed(1);
        counters.AddDeadLettered(1);
        Log.ItemRefused(logger, reason, deadLetters.Path);
    }
}
