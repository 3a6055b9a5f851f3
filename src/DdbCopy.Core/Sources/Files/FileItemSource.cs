using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Schema;
using Microsoft.Extensions.Logging;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Engine.Checkpoints;

namespace DdbCopy.Core.Sources.Files;

/// <summary>
/// Reads the files of an import, one after the other, into write batches. A record that is not a valid item for the
/// destination (malformed, a wrong type, over 400 KB, a key attribute missing or of the wrong type) is logged with its
/// file and line, recorded in the reject file and skipped, or stops the reading with <c>failFast</c>.
/// With a checkpoint, every run of queued items is a ticket that ends at the last record read (file and line), and a
/// resumed run skips the records up to where the earlier one settled. A file whose reader holds records back (CSV
/// grouped into items, <paramref name="resumableByLine"/> false) counts as settled only as a whole.
/// </summary>
public sealed class FileItemSource(
    ImportSource source,
    Func<InputFile, IItemReader> readerFor,
    IReadOnlyList<KeyAttribute> key,
    RejectFile rejects,
    bool failFast,
    ILogger logger,
    Func<InputFile, bool>? resumableByLine = null) : IItemSource
{
    private const int ItemsPerFlush = 1000;

    public async Task<bool> ProduceAsync(SourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var start = context.Ledger?.PositionOf(0) ?? LanePosition.Start(0);
        if (start.Done)
        {
            return true; // settled by an earlier run
        }

        var pending = new Pending { Settled = start };
        var first = FirstFile(start);
        for (var i = first; i < source.Files.Count; i++)
        {
            var file = source.Files[i];
            var skipThrough = i == first && start.File is not null ? start.Line : 0;
            if (skipThrough == long.MaxValue)
            {
                continue;
            }

            try
            {
                if (!await ProduceFileAsync(file, skipThrough, pending, context))
                {
                    await FlushAsync(pending, context); // a graceful stop writes what was read
                    return false;
                }
            }
            catch (Exception ex) when (ex is not (DdbCopyException or OperationCanceledException))
            {
                // A corrupt compressed file, a broken connection while streaming from S3, ...
                throw new DdbCopyException(FailureKind.CopyFailed, $"Cannot read {source.PathOf(file)}: {Aws.ErrorText.Describe(ex)}", ex);
            }

            pending.Settled = LanePosition.AfterRecord(file.Name, long.MaxValue);
        }

        pending.Settled = pending.Settled with { Done = true };
        await FlushAsync(pending, context);
        return true;
    }

    /// <summary>The index of the file a resumed run starts in.</summary>
    private int FirstFile(LanePosition start)
    {
        if (start.File is null)
        {
            return 0;
        }

        for (var i = 0; i < source.Files.Count; i++)
        {
            if (source.Files[i].Name == start.File)
            {
                return i;
            }
        }

        throw new DdbCopyException(FailureKind.Usage,
            $"Cannot resume: the checkpoint stopped in {start.File}, which is no longer in {source.Store.Root}. Run without --resume to import from the beginning.");
    }

    /// <returns>False when a stop cut the file short.</returns>
    private async Task<bool> ProduceFileAsync(InputFile file, long skipThrough, Pending pending, SourceContext context)
    {
        var path = source.PathOf(file);
        var byLine = resumableByLine?.Invoke(file) ?? true;
        using var text = await InputStreams.OpenTextAsync(source.Store, file.Name, context.Abort);
        await foreach (var record in readerFor(file).ReadAsync(text, context.Abort))
        {
            if (context.Stop.IsCancellationRequested)
            {
                return false;
            }

            if (record.Line <= skipThrough)
            {
                continue; // settled by an earlier run
            }

            if ((record.Error ?? ItemKeyCheck.Problem(record.Item!, key)) is { } error)
            {
                var where = Reject(context, file, record, error);
                pending.Rejected++;
                if (byLine)
                {
                    pending.Settled = LanePosition.AfterRecord(file.Name, record.Line);
                }

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
            if (byLine)
            {
                pending.Settled = LanePosition.AfterRecord(file.Name, record.Line);
            }

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
        rejects.Record(logger, where, record.Line, error, record.Text);
        return $"{where}:{record.Line}: {rejects.Render(error)}";
    }

    /// <summary>Queues what is pending as one ticket that ends where the records read so far settle the lane.</summary>
    private static async Task FlushAsync(Pending pending, SourceContext context)
    {
        await TicketedQueue.QueueAsync(context, pending.Settled, pending.Items, pending.Origins, pending.Rejected);
        pending.Rejected = 0;
    }

    /// <summary>Valid items read but not yet queued, with where each came from.</summary>
    private sealed class Pending
    {
        public List<Dictionary<string, AttributeValue>> Items { get; } = new(ItemsPerFlush);

        public List<ItemOrigin> Origins { get; } = new(ItemsPerFlush);

        /// <summary>Records rejected since the last flush.</summary>
        public int Rejected { get; set; }

        /// <summary>Where the lane stands once everything read so far is settled.</summary>
        public required LanePosition Settled { get; set; }
    }
}
