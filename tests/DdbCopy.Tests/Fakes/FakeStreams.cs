using System.Globalization;
using System.Net;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Sources.Streams;

namespace DdbCopy.Tests.Fakes;

/// <summary>
/// A stream in memory: shards with parents, records, closing, and faults to inject per call (an expired iterator,
/// trimmed data, throttling). Iterators are "shard|index". Every call yields first, as a real one would.
/// </summary>
internal sealed class FakeStreams : IStreamsClient
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FakeShard> _shards = new(StringComparer.Ordinal);
    private long _sequence = 100;

    public string Status { get; set; } = "ENABLED";

    /// <summary>Called before each call with its operation name and shard (when it has one): an exception to throw, or null.</summary>
    public Func<string, string?, Exception?>? Fault { get; set; }

    /// <summary>Every call, in order: "GetRecords A", "GetShardIterator B TrimHorizon", ...</summary>
    public List<string> Calls { get; } = [];

    public void Dispose()
    {
    }

    public void AddShard(string id, string? parent = null)
    {
        lock (_gate)
        {
            _shards[id] = new FakeShard(id, parent);
        }
    }

    /// <summary>Appends records for the given keys (pk, new image with v) and returns them.</summary>
    public List<ChangeRecord> Write(string shard, params (string Key, int Value)[] changes)
    {
        lock (_gate)
        {
            var written = changes.Select(c => new ChangeRecord((++_sequence).ToString(CultureInfo.InvariantCulture), "MODIFY",
                DateTimeOffset.UnixEpoch.AddMinutes(_sequence),
                new Dictionary<string, AttributeValue> { ["pk"] = new() { S = c.Key } },
                new Dictionary<string, AttributeValue> { ["pk"] = new() { S = c.Key }, ["v"] = new() { N = c.Value.ToString(CultureInfo.InvariantCulture) } },
                null, 10)).ToList();
            _shards[shard].Records.AddRange(written);
            return written;
        }
    }

    public void Close(string shard)
    {
        lock (_gate)
        {
            _shards[shard].Closed = true;
        }
    }

    public static AmazonServiceException Error(string code, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        new($"{code} (injected)", null, ErrorType.Sender, code, "req", status);

    public async Task<IReadOnlyList<string>> ListStreamsAsync(string tableName, CancellationToken cancellationToken)
    {
        await EnterAsync("ListStreams", null);
        return ["arn:stream"];
    }

    public async Task<StreamDescriptionPage> DescribeStreamAsync(string streamArn, string? exclusiveStartShardId, CancellationToken cancellationToken)
    {
        await EnterAsync("DescribeStream", null);
        lock (_gate)
        {
            // One shard per page, to exercise the paging.
            var ordered = _shards.Values.OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
            var index = exclusiveStartShardId is null ? 0 : ordered.FindIndex(s => s.Id == exclusiveStartShardId) + 1;
            var page = ordered.Skip(index).Take(1)
                .Select(s => new ShardDescription(s.Id, s.Parent, "1", s.Closed ? s.Records.LastOrDefault()?.SequenceNumber ?? "1" : null)).ToList();
            return new StreamDescriptionPage(Status, "NEW_AND_OLD_IMAGES", page, index + 1 < ordered.Count ? page[0].ShardId : null);
        }
    }

    public async Task<string> GetShardIteratorAsync(string streamArn, string shardId, ShardIteratorKind kind, string? sequenceNumber,
        CancellationToken cancellationToken)
    {
        await EnterAsync($"GetShardIterator {shardId} {kind}", shardId);
        lock (_gate)
        {
            var records = _shards[shardId].Records;
            var index = kind switch
            {
                ShardIteratorKind.TrimHorizon => 0,
                ShardIteratorKind.Latest => records.Count,
                ShardIteratorKind.AtSequenceNumber => records.FindIndex(r => r.SequenceNumber == sequenceNumber),
                _ => records.FindIndex(r => r.SequenceNumber == sequenceNumber) + 1,
            };
            return $"{shardId}|{index}";
        }
    }

    public async Task<RecordsPage> GetRecordsAsync(string shardIterator, int limit, CancellationToken cancellationToken)
    {
        var shardId = shardIterator.Split('|')[0];
        await EnterAsync($"GetRecords {shardId}", shardId);
        lock (_gate)
        {
            var shard = _shards[shardId];
            var index = int.Parse(shardIterator.Split('|')[1], CultureInfo.InvariantCulture);
            var page = shard.Records.Skip(index).Take(limit).ToList();
            var next = index + page.Count;
            return new RecordsPage(page, shard.Closed && next >= shard.Records.Count ? null : $"{shardId}|{next}");
        }
    }

    private async Task EnterAsync(string call, string? shard)
    {
        await Task.Yield();
        lock (_gate)
        {
            Calls.Add(call);
        }

        if (Fault?.Invoke(call.Split(' ')[0], shard) is { } fault)
        {
            throw fault;
        }
    }

    private sealed class FakeShard(string id, string? parent)
    {
        public string Id { get; } = id;

        public string? Parent { get; } = parent;

        public List<ChangeRecord> Records { get; } = [];

        public bool Closed { get; set; }
    }
}

/// <summary>Records what a stream reader hands over, per shard, in order.</summary>
internal sealed class RecordingPageSink : IChangePageSink
{
    private readonly Lock _gate = new();

    public List<(string Shard, string Sequence)> Records { get; } = [];

    public List<ShardPosition> Positions { get; } = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return Records.Count;
            }
        }
    }

    private readonly List<(Func<RecordingPageSink, bool> Condition, TaskCompletionSource Done)> _waits = [];

    public ValueTask AppendAsync(ShardPosition shard, IReadOnlyList<ChangeRecord> records, bool done, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Records.AddRange(records.Select(r => (shard.ShardId, r.SequenceNumber)));
            Positions.Add(shard);
            foreach (var wait in _waits.Where(w => w.Condition(this)).ToList())
            {
                _waits.Remove(wait);
                wait.Done.TrySetResult();
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Completes once <paramref name="condition"/> holds after an append (at once if it already does).</summary>
    public Task When(Func<RecordingPageSink, bool> condition)
    {
        lock (_gate)
        {
            if (condition(this))
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waits.Add((condition, done));
            return done.Task;
        }
    }

    public void CaughtUp(string shardId, DateTimeOffset readStarted)
    {
    }
}
