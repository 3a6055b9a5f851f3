using Amazon.Runtime;
using DdbCopy.Core.Aws;
using Microsoft.Extensions.Logging;
using Polly;

namespace DdbCopy.Core.Sources.Streams;

/// <summary>
/// Reads a stream's shards from given positions, each in order, parents before their children, and hands every page
/// to an <see cref="IChangePageSink"/>. New shards (splits, the regular roll-over) are found by reading the shard list
/// again; an expired iterator is fetched again from the last position; throttling and passing faults are retried by
/// the pipeline; trimmed data (a position older than the stream keeps) and a stream that is gone stop it with a clear
/// message, since a copy brought up to date from it could not be trusted.
/// </summary>
public sealed partial class ChangeStreamReader
{
    /// <summary>How long DynamoDB Streams keeps records.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private readonly IStreamsClient _client;
    private readonly string _streamArn;
    private readonly ResiliencePipeline _retry;
    private readonly IChangePageSink _sink;
    private readonly StreamReadOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ShardState> _shards = new(StringComparer.Ordinal);
    private TaskCompletionSource _discoverNow = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _lastDiscoveryStarted = DateTimeOffset.MinValue;

    /// <param name="start">Where each shard stands (a new job: the open shards, from <see cref="TakeStartAsync"/>).</param>
    /// <param name="latestIterators">Iterators taken at the job's start (LATEST) for shards with no position yet; others start at TRIM_HORIZON.</param>
    public ChangeStreamReader(IStreamsClient client, string streamArn, IEnumerable<ShardPosition> start, IReadOnlyDictionary<string, string>? latestIterators,
        ResiliencePipeline retry, IChangePageSink sink, StreamReadOptions options, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(start);
        _client = client;
        _streamArn = streamArn;
        _retry = retry;
        _sink = sink;
        _options = options;
        _time = timeProvider;
        _logger = logger;
        foreach (var position in start)
        {
            _shards[position.ShardId] = new ShardState(position, latestIterators?.GetValueOrDefault(position.ShardId));
        }
    }

    /// <summary>The shards known and how far each is read.</summary>
    public IReadOnlyList<ShardPosition> Positions
    {
        get
        {
            lock (_gate)
            {
                return _shards.Values.Select(s => s.Position).ToList();
            }
        }
    }

    /// <summary>Shards being read now (known, not done, parent done).</summary>
    public int ActiveShards
    {
        get
        {
            lock (_gate)
            {
                return _shards.Values.Count(s => !s.Position.Done && Readable(s.Position));
            }
        }
    }

    /// <summary>
    /// True when every record written before <paramref name="since"/> has been handed to the sink: the shard list was
    /// read after it, and every shard not done found nothing new in a read that started after it.
    /// </summary>
    /// <param name="knownShards">Only the shards known now (for the lag): the shard list need not have been read since.</param>
    public bool CaughtUpSince(DateTimeOffset since, bool knownShards = false)
    {
        lock (_gate)
        {
            return (knownShards || _lastDiscoveryStarted >= since)
                && _shards.Values.All(s => s.Position.Done || (Readable(s.Position) && s.Position.CaughtUpAt >= since));
        }
    }

    /// <summary>Reads the shard list again now (instead of within <see cref="StreamReadOptions.DiscoverInterval"/>).</summary>
    public void DiscoverNow() => Volatile.Read(ref _discoverNow).TrySetResult();

    /// <summary>Reads until <paramref name="stop"/>; throws <see cref="DdbCopyException"/> when the stream cannot be followed.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var running = new Dictionary<string, Task>(StringComparer.Ordinal);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(stop);
        try
        {
            while (!failed.IsCancellationRequested)
            {
                await DiscoverAsync(failed.Token);
                foreach (var shard in ReadableShards().Where(s => !running.ContainsKey(s.Position.ShardId)))
                {
                    running[shard.Position.ShardId] = ReadShardAsync(shard, failed);
                }

                var finished = running.Where(r => r.Value.IsCompleted).ToList();
                foreach (var (id, task) in finished)
                {
                    running.Remove(id);
                    await task; // a failure of a shard surfaces here
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(failed.Token);
                var pause = Task.Delay(_options.DiscoverInterval, _time, wait.Token);
                await Task.WhenAny(running.Values.Append(pause).Append(Volatile.Read(ref _discoverNow).Task).ToList());
                await wait.CancelAsync();
                Interlocked.Exchange(ref _discoverNow, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                failed.Token.ThrowIfCancellationRequested();
                if (running.Values.FirstOrDefault(t => t.IsFaulted) is { } fault)
                {
                    await fault;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException ex)
        {
            // Not a stop: a reader must never end quietly, or the copy would wait for changes that never come.
            throw new DdbCopyException(FailureKind.CopyFailed, $"Reading the source's stream failed: {ErrorText.Describe(ex)}", ex);
        }
        finally
        {
            await failed.CancelAsync();
            await Task.WhenAll(running.Values.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        stop.ThrowIfCancellationRequested();
    }

    private async Task DiscoverAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        var shards = await DescribeAllAsync(_client, _streamArn, _retry, cancellationToken);
        lock (_gate)
        {
            foreach (var shard in shards.Where(s => !_shards.ContainsKey(s.ShardId)))
            {
                // A shard this job must read: a child of one it knows, or one that opened since (a closed shard whose
                // parent is unknown is older than the job and holds nothing it needs).
                var parentKnown = shard.ParentShardId is { } parent && _shards.ContainsKey(parent);
                if (parentKnown || shard.IsOpen)
                {
                    _shards[shard.ShardId] = new ShardState(new ShardPosition(shard.ShardId, parentKnown ? shard.ParentShardId : null, null, false, started), null);
                    Log.ShardFound(_logger, shard.ShardId, shard.ParentShardId ?? "none");
                }
            }

            _lastDiscoveryStarted = started;
        }
    }

    private List<ShardState> ReadableShards()
    {
        lock (_gate)
        {
            return _shards.Values.Where(s => !s.Position.Done && Readable(s.Position)).ToList();
        }
    }

    /// <summary>A shard may be read once its parent (when this job knows it) is read to its end. Called with the gate held.</summary>
    private bool Readable(ShardPosition position) =>
        position.ParentShardId is not { } parent || !_shards.TryGetValue(parent, out var p) || p.Position.Done;

    private async Task ReadShardAsync(ShardState shard, CancellationTokenSource failed)
    {
        await Task.Yield();
        var token = failed.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                if (shard.Iterator is null)
                {
                    shard.Iterator = await IteratorAsync(shard.Position, token);
                    shard.FromStart |= shard.Position.After is null; // TRIM_HORIZON: nothing older to fall back to
                }

                var readStarted = _time.GetUtcNow();
                RecordsPage page;
                try
                {
                    var iterator = shard.Iterator;
                    page = await _retry.ExecuteAsync(ct => new ValueTask<RecordsPage>(_client.GetRecordsAsync(iterator, _options.RecordsPerCall, ct)), token);
                }
                catch (AmazonServiceException ex) when (ex.ErrorCode == "ExpiredIteratorException")
                {
                    shard.Iterator = null; // iterators live 15 minutes: take a new one at the same position
                    Log.IteratorExpired(_logger, shard.Position.ShardId);
                    continue;
                }
                catch (AmazonServiceException ex) when (ex.ErrorCode == "TrimmedDataAccessException" && !shard.FromStart
                    && shard.Position.After is null && !shard.Position.MayBeTrimmed(_time.GetUtcNow(), Retention))
                {
                    // Nothing read from the shard yet, and nothing it holds since the job began can be trimmed: read it
                    // from its start instead (DynamoDB Local answers this way to a LATEST iterator of a shard that was
                    // empty). Older records are applied again, which changes nothing: the newer ones follow them.
                    shard.Iterator = null;
                    shard.FromStart = true;
                    Log.Follow(_logger, $"Stream shard {shard.Position.ShardId}: reading it from its start ({ex.ErrorCode} before any record was read)");
                    continue;
                }
                catch (AmazonServiceException ex) when (ex.ErrorCode == "TrimmedDataAccessException" && shard.FromStart && shard.Position.After is null
                    && !shard.Position.MayBeTrimmed(_time.GetUtcNow(), Retention))
                {
                    // Read from its oldest record with nothing read yet, and no record this job needs from it can be older than
                    // the stream keeps: DynamoDB Local answers this way while a shard holds no record. A new TRIM_HORIZON
                    // iterator later starts at the oldest record still, so nothing this job needs is passed over.
                    shard.Iterator = null;
                    lock (_gate)
                    {
                        shard.Position = shard.Position with { CaughtUpAt = readStarted };
                    }

                    _sink.CaughtUp(shard.Position.ShardId, readStarted);
                    Log.ShardPage(_logger, shard.Position.ShardId, 0, $", {ex.ErrorCode} at its start: no record yet");
                    await Task.Delay(_options.IdlePollInterval, _time, token);
                    continue;
                }

                var done = page.NextShardIterator is null;
                Log.ShardPage(_logger, shard.Position.ShardId, page.Records.Count, done ? ", closed and read to its end" : "");
                if (page.Records.Count > 0 || done)
                {
                    var next = shard.Position with { After = page.Records.Count > 0 ? page.Records[^1].SequenceNumber : shard.Position.After, Done = done };
                    await _sink.AppendAsync(next, page.Records, done, token);
                    lock (_gate)
                    {
                        shard.Position = next;
                    }
                }

                if (page.Records.Count == 0 && !done)
                {
                    lock (_gate)
                    {
                        shard.Position = shard.Position with { CaughtUpAt = readStarted };
                    }

                    _sink.CaughtUp(shard.Position.ShardId, readStarted);
                }

                shard.Iterator = page.NextShardIterator;
                if (done)
                {
                    Log.ShardClosed(_logger, shard.Position.ShardId);
                    Volatile.Read(ref _discoverNow).TrySetResult(); // its children may be waiting
                    return;
                }

                await Task.Delay(page.Records.Count == 0 ? _options.IdlePollInterval : _options.MinCallInterval, _time, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode == "TrimmedDataAccessException")
        {
            throw Trimmed(shard.Position, ex);
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode == "ResourceNotFoundException")
        {
            throw new DdbCopyException(FailureKind.CopyFailed,
                $"The source's stream or its shard {shard.Position.ShardId} no longer exists ({ex.Message}): the destination cannot be kept up to date.", ex);
        }
        catch (Exception ex) when (ex is not DdbCopyException)
        {
            throw new DdbCopyException(FailureKind.CopyFailed, $"Reading the source's stream failed: {ErrorText.Describe(ex)}", ex);
        }
    }

    private sealed class ShardState(ShardPosition position, string? iterator)
    {
        public ShardPosition Position { get; set; } = position;

        public string? Iterator { get; set; } = iterator;

        /// <summary>The shard is read from its start (TRIM_HORIZON): a trimmed answer then means what it says.</summary>
        public bool FromStart { get; set; }
    }
}
