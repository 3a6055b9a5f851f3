using System.Net;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Sources.Streams;
using DdbCopy.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace DdbCopy.Tests.Streams;

/// <summary>The shard reader against a stream in memory: lineage, expired iterators, trimmed data, throttling, a disabled stream.</summary>
public sealed class ChangeStreamReaderTests
{
    private static readonly StreamReadOptions Fast = new()
    {
        RecordsPerCall = 2,
        MinCallInterval = TimeSpan.Zero,
        IdlePollInterval = TimeSpan.Zero,
        DiscoverInterval = TimeSpan.Zero,
    };

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static ResiliencePipeline Retry(int retries = 3) =>
        RetryPipelines.Create(retries, TimeProvider.System, baseDelay: TimeSpan.FromMilliseconds(1), maxDelay: TimeSpan.FromMilliseconds(2));

    private static async Task<Exception?> RunUntilAsync(ChangeStreamReader reader, Task until)
    {
        using var stop = new CancellationTokenSource();
        var running = reader.RunAsync(stop.Token);
        var first = await Task.WhenAny(running, until).WaitAsync(Limit);
        if (first == running)
        {
            return running.Exception?.InnerException;
        }

        await stop.CancelAsync();
        var ended = await Record.ExceptionAsync(() => running.WaitAsync(Limit));
        return ended is OperationCanceledException ? null : ended;
    }

    [Fact]
    public async Task SplitShard_ParentIsReadToItsEndBeforeEitherChild_AndEveryRecordOnceInShardOrder()
    {
        var stream = new FakeStreams();
        stream.AddShard("A");
        stream.Write("A", ("old", 0)); // before the job: LATEST starts after it
        var (start, iterators) = await ChangeStreamReader.TakeStartAsync(stream, "arn:stream", Retry(), TimeProvider.System, CancellationToken.None);
        var a = stream.Write("A", ("k1", 1), ("k2", 1), ("k1", 2));
        stream.Close("A");
        stream.AddShard("B", parent: "A");
        stream.AddShard("C", parent: "A");
        var b = stream.Write("B", ("k1", 3), ("k3", 1));
        var c = stream.Write("C", ("k2", 2));
        stream.Close("B");
        var sink = new RecordingPageSink();
        var reader = new ChangeStreamReader(stream, "arn:stream", start, iterators, Retry(), sink, Fast, TimeProvider.System, NullLogger.Instance);

        var error = await RunUntilAsync(reader, sink.When(s => s.Records.Count >= 6));

        Assert.Null(error);
        Assert.Equal(a.Select(r => ("A", r.SequenceNumber)), sink.Records.Where(r => r.Shard == "A"));
        Assert.Equal(b.Select(r => ("B", r.SequenceNumber)), sink.Records.Where(r => r.Shard == "B"));
        Assert.Equal(c.Select(r => ("C", r.SequenceNumber)), sink.Records.Where(r => r.Shard == "C"));
        var lastOfParent = sink.Records.FindLastIndex(r => r.Shard == "A");
        Assert.True(sink.Records.FindIndex(r => r.Shard != "A") > lastOfParent, string.Join(", ", sink.Records));
        // No child was asked for records before its parent's last page came back.
        var calls = stream.Calls.ToList();
        var parentEnd = calls.FindLastIndex(c => c == "GetRecords A");
        Assert.True(calls.FindIndex(c => c.StartsWith("GetShardIterator B", StringComparison.Ordinal)) > parentEnd);
        Assert.Contains("GetShardIterator B TrimHorizon", calls);
        // A was read with the iterator taken at the start (LATEST: the record before the job is not read).
        Assert.Equal(["GetShardIterator A Latest"], calls.Where(c => c.StartsWith("GetShardIterator A", StringComparison.Ordinal)));
        Assert.Contains(reader.Positions, p => p is { ShardId: "A", Done: true });
        Assert.Contains(reader.Positions, p => p is { ShardId: "B", Done: true });
        Assert.Contains(reader.Positions, p => p.ShardId == "C" && !p.Done && p.After == c[^1].SequenceNumber);
    }

    [Fact]
    public async Task ExpiredIterator_IsTakenAgainAfterTheLastRecordRead_NothingLostOrRepeated()
    {
        var stream = new FakeStreams();
        stream.AddShard("A");
        var written = stream.Write("A", ("k1", 1), ("k2", 1), ("k3", 1), ("k4", 1), ("k5", 1));
        var expired = 0;
        stream.Fault = (call, _) => call == "GetRecords" && stream.Calls.Count(c => c == "GetRecords A") == 2 && expired++ == 0
            ? FakeStreams.Error("ExpiredIteratorException")
            : null;
        var sink = new RecordingPageSink();
        var reader = new ChangeStreamReader(stream, "arn:stream", [new ShardPosition("A", null, null, false, DateTimeOffset.UnixEpoch)], null, Retry(), sink,
            Fast, TimeProvider.System, NullLogger.Instance);

        var error = await RunUntilAsync(reader, sink.When(s => s.Records.Count >= 5));

        Assert.Null(error);
        Assert.Equal(1, expired);
        Assert.Equal(written.Select(r => ("A", r.SequenceNumber)), sink.Records);
        Assert.Contains($"GetShardIterator A {ShardIteratorKind.AfterSequenceNumber}", stream.Calls);
    }

    [Fact]
    public async Task ThrottledReads_AreRetried_AndEveryRecordArrives()
    {
        var stream = new FakeStreams();
        stream.AddShard("A");
        var written = stream.Write("A", ("k1", 1), ("k2", 1), ("k3", 1));
        var throttled = 0;
        stream.Fault = (call, _) => call == "GetRecords" && throttled++ < 3 ? FakeStreams.Error("LimitExceededException") : null;
        var sink = new RecordingPageSink();
        var reader = new ChangeStreamReader(stream, "arn:stream", [new ShardPosition("A", null, null, false, DateTimeOffset.UnixEpoch)], null, Retry(5), sink,
            Fast, TimeProvider.System, NullLogger.Instance);

        var error = await RunUntilAsync(reader, sink.When(s => s.Records.Count >= 3));

        Assert.Null(error);
        Assert.True(throttled >= 3);
        Assert.Equal(written.Select(r => ("A", r.SequenceNumber)), sink.Records);
    }

    [Fact]
    public async Task TrimmedPosition_StopsWithAMessageThatSaysTheChangesAreLost()
    {
        var stream = new FakeStreams();
        stream.AddShard("A");
        stream.Write("A", ("k1", 1));
        stream.Fault = (call, _) => call == "GetShardIterator" ? FakeStreams.Error("TrimmedDataAccessException") : null;
        var sink = new RecordingPageSink();
        var reader = new ChangeStreamReader(stream, "arn:stream", [new ShardPosition("A", null, "42", false, DateTimeOffset.UnixEpoch)], null, Retry(), sink,
            Fast, TimeProvider.System, NullLogger.Instance);

        var error = await RunUntilAsync(reader, Task.Delay(Timeout.Infinite));

        var failure = Assert.IsType<DdbCopyException>(error);
        Assert.Contains("after position 42 of shard A", failure.Message, StringComparison.Ordinal);
        Assert.Contains("24 hours", failure.Message, StringComparison.Ordinal);
        Assert.Empty(sink.Records);
    }

    [Fact]
    public async Task TrimmedAnswerToTheStartIterator_BeforeAnyRecordWasRead_ReadsTheShardFromItsStartInstead()
    {
        // DynamoDB Local answers so to a LATEST iterator of a shard that was empty; nothing the job needs can be trimmed yet.
        var stream = new FakeStreams();
        stream.AddShard("A");
        var (start, iterators) = await ChangeStreamReader.TakeStartAsync(stream, "arn:stream", Retry(), TimeProvider.System, CancellationToken.None);
        var written = stream.Write("A", ("k1", 1), ("k2", 1));
        var trimmed = 0;
        stream.Fault = (call, _) => call == "GetRecords" && trimmed++ == 0 ? FakeStreams.Error("TrimmedDataAccessException") : null;
        var sink = new RecordingPageSink();
        var reader = new ChangeStreamReader(stream, "arn:stream", start, iterators, Retry(), sink, Fast, TimeProvider.System, NullLogger.Instance);

        var error = await RunUntilAsync(reader, sink.When(s => s.Records.Count >= 2));

        Assert.Null(error);
        Assert.Equal(written.Select(r => ("A", r.SequenceNumber)), sink.Records);
        Assert.Contains("GetShardIterator A TrimHorizon", stream.Calls);
    }

    [Fact]
    public async Task TrimmedAnswerFromTheStart_OfAShardTheJobNeedsOlderRecordsOf_StopsTheReader()
    {
        var stream = new FakeStreams();
        stream.AddShard("A");
        stream.Fault = (call, _) => call == "GetRecords" ? FakeStreams.Error("TrimmedDataAccessException") : null;
        var dayAgo = DateTimeOffset.UtcNow - TimeSpan.FromHours(25);
        var reader = new ChangeStreamReader(stream, "arn:stream", [new ShardPosition("A", null, null, false, dayAgo)], null, Retry(),
            new RecordingPageSink(), Fast, TimeProvider.System, NullLogger.Instance);

        var error = await RunUntilAsync(reader, Task.Delay(Timeout.Infinite));

        Assert.Contains("trimmed", Assert.IsType<DdbCopyException>(error).Message, StringComparison.Ordinal);
        Assert.Equal(1, stream.Calls.Count(c => c == "GetRecords A"));
    }

    [Fact]
    public async Task TrimmedAnswerFromTheStart_OfAShardWithNoRecordYet_IsReadAgainFromTheStart_AndItsRecordsCome()
    {
        // DynamoDB Local's answer while a shard holds nothing; the job needs no record older than the stream keeps.
        var stream = new FakeStreams();
        stream.AddShard("A");
        var trimmedAnswers = 3;
        stream.Fault = (call, _) => call == "GetRecords" && Interlocked.Decrement(ref trimmedAnswers) >= 0 ? FakeStreams.Error("TrimmedDataAccessException") : null;
        var sink = new RecordingPageSink();
        var reader = new ChangeStreamReader(stream, "arn:stream", [new ShardPosition("A", null, null, false, DateTimeOffset.UtcNow)], null, Retry(),
            sink, Fast, TimeProvider.System, NullLogger.Instance);
        var written = stream.Write("A", ("k1", 1), ("k2", 1));

        var error = await RunUntilAsync(reader, sink.When(s => s.Records.Count >= 2));

        Assert.Null(error);
        Assert.Equal(written.Select(r => r.SequenceNumber), sink.Records.Select(r => r.Sequence));
        Assert.Equal(4, stream.Calls.Count(c => c == "GetShardIterator A TrimHorizon"));
    }

    [Fact]
    public async Task DisabledStream_StopsWithAClearMessage()
    {
        var stream = new FakeStreams { Status = "DISABLED" };
        stream.AddShard("A");
        var reader = new ChangeStreamReader(stream, "arn:stream", [new ShardPosition("A", null, null, false, DateTimeOffset.UnixEpoch)], null, Retry(),
            new RecordingPageSink(), Fast, TimeProvider.System, NullLogger.Instance);

        var error = await RunUntilAsync(reader, Task.Delay(Timeout.Infinite));

        Assert.Contains("was disabled", Assert.IsType<DdbCopyException>(error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerErrorsOnEveryTry_StopTheReaderOnceTheRetriesAreSpent()
    {
        var stream = new FakeStreams();
        stream.AddShard("A");
        stream.Fault = (call, _) => call == "GetRecords" ? FakeStreams.Error("InternalServerError", HttpStatusCode.InternalServerError) : null;
        var reader = new ChangeStreamReader(stream, "arn:stream", [new ShardPosition("A", null, null, false, DateTimeOffset.UnixEpoch)], null, Retry(2),
            new RecordingPageSink(), Fast, TimeProvider.System, NullLogger.Instance);

        var error = await RunUntilAsync(reader, Task.Delay(Timeout.Infinite));

        Assert.Contains("Reading the source's stream failed", Assert.IsType<DdbCopyException>(error).Message, StringComparison.Ordinal);
        Assert.Equal(3, stream.Calls.Count(c => c == "GetRecords A"));
    }

    [Fact]
    public void MayBeTrimmed_OnlyAShardWithNoPositionWhoseTimeIsOlderThanTheRetention()
    {
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var day = TimeSpan.FromHours(24);
        Assert.True(new ShardPosition("A", null, null, false, start).MayBeTrimmed(start + day, day));
        Assert.False(new ShardPosition("A", null, null, false, start).MayBeTrimmed(start + day - TimeSpan.FromMinutes(1), day));
        Assert.False(new ShardPosition("A", null, "7", false, start).MayBeTrimmed(start + 2 * day, day)); // the stream itself says so
        Assert.False(new ShardPosition("A", null, null, true, start).MayBeTrimmed(start + 2 * day, day));
        Assert.False(new ShardPosition("A", null, null, false, start, CaughtUpAt: start + day).MayBeTrimmed(start + day + TimeSpan.FromHours(1), day));
    }

    [Fact]
    public void StreamsClientFailure_CarriesTheServiceCodeSoTheOneClassifierDecides()
    {
        var throttled = StreamsClient.Failure(HttpStatusCode.BadRequest,
            """{"__type":"com.amazonaws.dynamodb.v20120810#LimitExceededException","message":"slow down"}"""u8.ToArray(), "r1");
        var expired = StreamsClient.Failure(HttpStatusCode.BadRequest, """{"__type":"ExpiredIteratorException","Message":"old"}"""u8.ToArray(), null);
        var garbled = StreamsClient.Failure(HttpStatusCode.BadGateway, "<html>bad gateway</html>"u8.ToArray(), null);

        Assert.Equal(("LimitExceededException", "slow down"), (throttled.ErrorCode, throttled.Message));
        Assert.Equal(ErrorClass.Throttled, ErrorClassifier.Classify(throttled));
        Assert.Equal(("ExpiredIteratorException", "old"), (expired.ErrorCode, expired.Message));
        Assert.Equal(ErrorClass.Fatal, ErrorClassifier.Classify(expired));
        Assert.Equal(ErrorClass.Retryable, ErrorClassifier.Classify(garbled));
    }
}
