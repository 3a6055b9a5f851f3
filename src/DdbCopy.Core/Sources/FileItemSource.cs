using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Errors;
using DdbCopy.Core.Items;
using DdbCopy.Core.Schema;
using Microsoft.Extensions.Logging;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Importing;
using DdbCopy.Core.Sinks;

namespace DdbCopy.Core.Sources;

/// <summary>
/// Reads the files of an import, one after the other, into write batches. A record that is not a valid item for the
/// destination (malformed, a wrong type, over 400 KB, a key attribute missing or of the wrong type) is logged with its
/// file and line, recorded in the reject file and skipped, or stops the reading with <c>failFast</c>.
/// </summary>
public sealed class FileItemSource(
    ImportSource source,
    Func<InputFile, IItemReader> readerFor,
    IReadOnlyList<KeyAttribute> key,
    RejectFile rejects,
    bool failFast,
    ILogger logger) : IItemSource
{
    private const int ItemsPerFlush = 1000;

    public async Task<bool> ProduceAsync(SourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var pending = new Pending();
        foreach (var file in source.Files)
        {
            try
            {
                if (!await ProduceFileAsync(file, pending, context))
                {
                    return false;
                }
            }
            catch (Exception ex) when (ex is not (DdbCopyException or OperationCanceledException))
            {
                // A corrupt compressed file, a broken connection while streaming from S3, ...
                throw new DdbCopyException(FailureKind.CopyFailed, $"Cannot read {source.PathOf(file)}: {Aws.ErrorText.Describe(ex)}", ex);
            }
        }

        await FlushAsync(pending, context);
        return true;
    }

    /// <returns>False when a stop cut the file short.</returns>
    private async Task<bool> ProduceFileAsync(InputFile file, Pending pending, SourceContext context)
    {
        var path = source.PathOf(file);
        using var text = await InputStreams.OpenTextAsync(source.Store, file.Name, context.Abort);
        await foreach (var record in readerFor(file).ReadAsync(text, context.Abort))
        {
            if (context.Stop.IsCancellationRequested)
            {
                return false;
            }

            if ((record.Error ?? KeyProblem(record.Item!, key)) is { } error)
            {
                var where = Reject(context, file, record, error);
                if (failFast)
                {
                    // Every valid item before the bad record is written; nothing after it is read.
                    await FlushAsync(pending, context);
                    throw new DdbCopyException(FailureKind.CopyFailed, $"{where} (stopped by --failFast).");
                }

                continue;
            }

            pending.Items.Add(record.Item!);
            pending.Origins.Add(new ItemOrigin(path, record.Line));
            if (pending.Items.Count >= ItemsPerFlush)
            {
                await FlushAsync(pending, context);
            }
        }

        return true;
    }

    private string Reject(SourceContext context, InputFile file, InputRecord record, string error)
    {
        var where = source.PathOf(file);
        context.Counters.AddRejected(1);
        Log.Rejected(logger, where, record.Line, error);
        rejects.Write(where, record.Line, error, record.Text);
        return $"{where}:{record.Line}: {error}";
    }

    private static async Task FlushAsync(Pending pending, SourceContext context)
    {
        foreach (var batch in BatchSplitter.Split(pending.Items, context.BatchItems, origins: pending.Origins))
        {
            await context.Output.WriteAsync(batch, context.Abort);
            context.Counters.AddScanned(batch.Count, 0);
        }

        pending.Items.Clear();
        pending.Origins.Clear();
    }

    /// <summary>Why DynamoDB would refuse the item as a whole (its key, its size), or null.</summary>
    public static string? KeyProblem(Dictionary<string, AttributeValue> item, IReadOnlyList<KeyAttribute> key)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(key);
        foreach (var attribute in key)
        {
            if (!item.TryGetValue(attribute.Name, out var value))
            {
                return $"the key attribute '{attribute.Name}' is missing";
            }

            var matches = attribute.AttributeType switch
            {
                "S" => value.S is { Length: > 0 },
                "N" => value.N is not null,
                "B" => value.B is { Length: > 0 },
                _ => true,
            };
            if (!matches)
            {
                return $"the key attribute '{attribute.Name}' must be a non-empty {attribute.AttributeType}";
            }
        }

        var size = ItemSize.Of(item);
        return size > ItemSize.MaxItemBytes
            ? $"the item is {size} bytes, over DynamoDB's limit of {ItemSize.MaxItemBytes} bytes (400 KB)"
            : null;
    }

    /// <summary>Valid items read but not yet queued, with where each came from.</summary>
    private sealed class Pending
    {
        public List<Dictionary<string, AttributeValue>> Items { get; } = new(ItemsPerFlush);

        public List<ItemOrigin> Origins { get; } = new(ItemsPerFlush);
    }
}
