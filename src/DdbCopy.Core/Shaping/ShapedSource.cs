using System.Threading.Channels;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Formats;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Shaping;

/// <summary>
/// A source whose items are shaped before they are queued: by an <see cref="ItemShaper"/> and, with --transform, then
/// by the transform process, whose output lines are the items queued. The transform's output cannot be matched to its
/// input, so a job with one keeps no resumable position (its source is given no checkpoint ledger); a graceful stop
/// closes the process's input and writes everything it gives back, a hard stop or a failure kills it.
/// </summary>
public sealed class ShapedSource(IItemSource inner, ItemShaper shaper, ShapeRejects rejects, ShapeSettings settings, ILogger logger) : IItemSource
{
    private const string OutputName = "--transform output";

    public async Task<bool> ProduceAsync(SourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (settings.Transform is not { } command)
        {
            return await inner.ProduceAsync(context with { Output = new ShapingWriter(context.Output, shaper, rejects, context.Counters) });
        }

        await using var process = TransformProcess.Start(command, logger);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(context.Stop);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(context.Abort);
        ChannelWriter<WriteBatch> feed = new TransformFeed(process, context.Counters);
        if (shaper.Active)
        {
            feed = new ShapingWriter(feed, shaper, rejects, context.Counters);
        }

        var feeding = FeedAsync(process, context with { Output = feed, Stop = failed.Token, Abort = abort.Token, Ledger = null });
        try
        {
            var read = ReadAsync(process, context);
            await Task.WhenAll(feeding, read);
            return await feeding && await read;
        }
        catch (Exception) when (!feeding.IsCompleted)
        {
            // The output failed (or a hard stop): stop reading the source, and let the feeding end with the process.
            await failed.CancelAsync();
            await abort.CancelAsync();
            await process.DisposeAsync();
            await Task.WhenAny(feeding);
            throw;
        }
    }

    private async Task<bool> FeedAsync(TransformProcess process, SourceContext context)
    {
        await Task.Yield();
        try
        {
            return await inner.ProduceAsync(context);
        }
        catch (IOException ex)
        {
            throw new DdbCopyException(FailureKind.CopyFailed,
                $"The --transform command stopped reading its input after {context.Counters.TransformIn} items: it {process.Ending()}.", ex);
        }
        finally
        {
            process.CloseInput();
        }
    }

    /// <summary>Queues the items the process writes, until it ends; true when it ended well.</summary>
    private async Task<bool> ReadAsync(TransformProcess process, SourceContext context)
    {
        await Task.Yield();
        var pending = new List<Dictionary<string, AttributeValue>>(context.BatchItems);
        long number = 0;
        while (await process.Output.ReadLineAsync(context.Abort) is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            Dictionary<string, AttributeValue> item;
            try
            {
                item = DynamoDbJson.ParseItemLine(line);
            }
            catch (FormatException ex)
            {
                if (!settings.RejectTransformErrors)
                {
                    await QueueAsync(pending, context); // what came before the bad line is written
                }

                BadLine(number, ex.Message, line, context.Counters);
                continue;
            }

            pending.Add(item);
            context.Counters.AddTransformOut(1);
            if (pending.Count >= context.BatchItems)
            {
                await QueueAsync(pending, context);
            }
        }

        await QueueAsync(pending, context);
        var exit = await process.WaitAsync(context.Abort);
        if (exit != 0)
        {
            throw new DdbCopyException(FailureKind.CopyFailed,
                $"The --transform command {process.Ending()} after taking {context.Counters.TransformIn} items and giving back {context.Counters.TransformOut}.");
        }

        return true;
    }

    private void BadLine(long number, string reason, string line, TransferCounters counters)
    {
        var why = $"the --transform command wrote a line that is not an item: {reason}";
        if (!settings.RejectTransformErrors)
        {
            throw new DdbCopyException(FailureKind.CopyFailed,
                $"Output line {number}: {why}. Nothing after it was written; --transformErrors reject records such lines and goes on.");
        }

        rejects.Reject(OutputName, number, why, line);
        counters.AddRejected(1);
    }

    private static async Task QueueAsync(List<Dictionary<string, AttributeValue>> items, SourceContext context)
    {
        foreach (var batch in BatchSplitter.Split(items, context.BatchItems))
        {
            await context.Output.WriteAsync(batch, context.Abort);
        }

        items.Clear();
    }

    /// <summary>Writes the batches it is given to the process's input, one item line each, one batch at a time (segments are scanned in parallel).</summary>
    private sealed class TransformFeed(TransformProcess process, TransferCounters counters) : ChannelWriter<WriteBatch>
    {
        private readonly SemaphoreSlim _one = new(1, 1);

        public override bool TryWrite(WriteBatch item) => throw new NotSupportedException("Batches are fed by WriteAsync only.");

        public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(true);

        public override bool TryComplete(Exception? error = null) => true; // the input is closed when the source is done

        public override async ValueTask WriteAsync(WriteBatch item, CancellationToken cancellationToken = default)
        {
            var text = new System.Text.StringBuilder();
            foreach (var entry in item.Items)
            {
                text.Append(DynamoDbJson.ToJsonLine(entry)).Append('\n');
            }

            await _one.WaitAsync(cancellationToken);
            try
            {
                await process.Input.WriteAsync(text, cancellationToken);
                await process.Input.FlushAsync(cancellationToken);
                counters.AddTransformIn(item.Count);
            }
            finally
            {
                _one.Release();
            }
        }
    }
}
