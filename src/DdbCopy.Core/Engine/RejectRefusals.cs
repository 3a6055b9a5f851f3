using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Formats;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Engine;

/// <summary>
/// An import's refused items: logged with their file and line and recorded in the reject file with DynamoDB's reason
/// (the item as DynamoDB JSON), counted as rejected records. With --failFast the first one stops the import.
/// </summary>
internal sealed class RejectRefusals(RejectFile rejects, bool failFast, ILogger logger) : IRefusedItems
{
    public Task RefuseAsync(Dictionary<string, AttributeValue> item, ItemOrigin? origin, string reason, TransferCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        var (file, line) = origin is { } known ? (known.File, known.Line) : ("(unknown file)", 0L);
        var why = $"DynamoDB refused the item: {reason}";
        counters.MoveToRejected(1);
        rejects.Record(logger, file, line, why, DynamoDbJson.ToJsonLine(item), masked: true); // written items went through the masking
        if (failFast)
        {
            throw new DdbCopyException(FailureKind.CopyFailed, $"{file}:{line}: {rejects.Render(why)} (stopped by --failFast).");
        }

        return Task.CompletedTask;
    }
}
