using System.Threading.Channels;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Storage;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Sinks.Files;

/// <summary>
/// Writes batches into the data files of an export: each worker writes its own file, closing it and starting the next
/// once it is large enough. An item counts as written once the file that holds it is committed (moved into place or
/// uploaded). A graceful stop commits what was read; a hard stop or a failure discards the files not yet committed.
/// Each scan page is one batch, and each segment's pages go to one worker in order, so a committed file holds whole
/// pages that follow the segment's earlier ones: a checkpoint lists the file and moves the segments past its pages in
/// one step.
/// </summary>
public sealed class ExportFileSink(IFileStore store, ExportFileOptions options, ILogger logger) : IBatchSink
{
    private readonly IFileStore _store = store;
    private readonly ExportFileOptions _options = options;
    private readonly ILogger _logger = logger;
    private readonly List<ManifestFile> _files = [];
    private TransferCounters? _counters;
    private Engine.Checkpoints.SettleLedger? _ledger;

    /// <summary>The committed data files, in name order.</summary>
    public IReadOnlyList<ManifestFile> Files
    {
        get
        {
            lock (_files)
            {
                return _files.OrderBy(f => f.DataFileS3Key, StringComparer.Ordinal).ToList();
            }
        }
    }

    public int Workers => _options.WriterCount;

    public int QueueCapacity => Math.Max(4, _options.WriterCount * 8);

    /// <summary>A whole page is one batch: a page is never split between two files.</summary>
    public int BatchItems => int.MaxValue;

    public bool KeepsLaneOrder => true;

    public string? RecordedPath => null;

    public void Start(SinkContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _counters = context.Counters;
        _ledger = context.Ledger;
    }

    public IBatchSinkWorker CreateWorker(int index) => new Worker(this, index);

    /// <summary>An export has nowhere to record what it read but did not write: the run is incomplete and says so.</summary>
    public Task SettleQueuedAsync(ChannelReader<WriteBatch> queued) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private string NextName(int writer, int sequence) =>
        $"{ExportManifest.DataFolder}/{_options.FilePrefix}{writer:00}-{sequence:000000}{DataCompressions.Extension(_options.Compression)}";

    private sealed class Worker(ExportFileSink sink, int index) : IBatchSinkWorker
    {
        private readonly List<(Engine.Checkpoints.PageTicket Ticket, TransferCounters Outcome)> _held = [];
        private DataFileWriter? _file;
        private int _sequence;

        public async Task WriteAsync(WriteBatch batch, CancellationToken abort)
        {
            await GuardAsync(async () =>
            {
                _file ??= new DataFileWriter(sink._store, sink.NextName(index, ++_sequence), sink._options.Compression);
                await _file.WriteAsync(batch.Items, abort);
                if (batch.Ticket is { } ticket)
                {
                    var outcome = new TransferCounters();
                    outcome.AddWritten(batch.Count);
                    _held.Add((ticket, outcome)); // settled when the file commits
                }
                if (_file.UncompressedBytes >= sink._options.MaxFileBytes)
                {
                    await CommitAsync(abort);
                }
            });
        }

        public Task FinishAsync(CancellationToken abort) => _file is null ? Task.CompletedTask : GuardAsync(() => CommitAsync(abort));

        public async ValueTask DisposeAsync()
        {
            if (_file is not null)
            {
                await _file.DisposeAsync(); // Not committed: discarded.
                _file = null;
            }
        }

        private async Task CommitAsync(CancellationToken abort)
        {
            var file = _file!;
            var entry = await file.CommitAsync(abort);
            lock (sink._files)
            {
                sink._files.Add(entry);
            }

            sink._counters!.AddWritten((int)entry.ItemCount);
            sink._ledger?.CommitFile(entry, _held);
            _held.Clear();
            Log.DataFileWritten(sink._logger, file.Name, entry.ItemCount, file.UncompressedBytes);
            await file.DisposeAsync();
            _file = null;
        }

        /// <summary>Turns a failure to write a file into the one-line error that stops the job.</summary>
        private async Task GuardAsync(Func<Task> write)
        {
            try
            {
                await write();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Amazon.Runtime.AmazonServiceException
                                           or Amazon.Runtime.AmazonClientException or HttpRequestException)
            {
                throw new DdbCopyException(FailureKind.CopyFailed,
                    $"Cannot write {(_file is null ? "a data file" : _file.Name)} under {sink._store.Root}: {Aws.ErrorText.Describe(ex)}", ex);
            }
        }
    }
}
