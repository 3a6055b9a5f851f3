using System.Net;
using DdbCopy.Core.Aws;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DdbCopy.Tests.Aws;

public sealed class EndpointWatchTests
{
    private readonly FakeTimeProvider _time = new();

    /// <summary>Answers each request as told: an answer, a refused connection, or never.</summary>
    private sealed class ScriptedHandler : HttpMessageHandler
    {
        private int _entered;

        public Queue<string> Script { get; } = new();

        /// <summary>Requests that reached this handler (the watch's timeout is running for each by then).</summary>
        public int Entered => Volatile.Read(ref _entered);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _entered);
            switch (Script.Dequeue())
            {
                case "answer":
                    return new HttpResponseMessage(HttpStatusCode.OK);
                case "refuse":
                    throw new HttpRequestException("Connection refused (127.0.0.1:1)");
                default:
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    throw new InvalidOperationException("unreachable");
            }
        }
    }

    private (HttpClient Client, EndpointWatch Watch, ScriptedHandler Handler) Create(int lostAfter = 4)
    {
        var handler = new ScriptedHandler();
        var watch = new EndpointWatch("destination", "http://db:8000", TimeSpan.FromSeconds(5), lostAfter, _time, NullLogger.Instance, handler);
        return (new HttpClient(watch), watch, handler);
    }

    private static HttpRequestMessage Request(string operation = "BatchWriteItem")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "http://db:8000/");
        request.Headers.Add("X-Amz-Target", "DynamoDB_20120810." + operation);
        return request;
    }

    [Fact]
    public async Task Send_WithoutAnAnswerWithinTheTimeout_FailsSayingWhichCallTimedOut()
    {
        var (client, _, handler) = Create();
        handler.Script.Enqueue("answer");
        (await client.SendAsync(Request())).Dispose();
        handler.Script.Enqueue("never");

        var sending = client.SendAsync(Request("Scan"));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (handler.Entered < 2 && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(1);
        }

        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(sending.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.1));

        var error = await Assert.ThrowsAsync<RequestTimeoutException>(() => sending.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("Scan timed out after 5 s without an answer (--requestTimeoutSeconds)", error.Message);
        Assert.Equal(ErrorClass.Retryable, ErrorClassifier.Classify(error));
    }

    [Fact]
    public async Task Send_AfterEnoughRequestsInARowGetNoAnswer_CountsTheSideAsLostAndFailsAtOnce()
    {
        var (client, watch, handler) = Create(lostAfter: 4);
        handler.Script.Enqueue("answer");
        (await client.SendAsync(Request())).Dispose();
        for (var i = 0; i < 3; i++)
        {
            handler.Script.Enqueue("refuse");
            await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(Request()));
        }

        Assert.False(watch.IsLost);
        handler.Script.Enqueue("refuse");
        var lost = await Assert.ThrowsAsync<EndpointLostException>(() => client.SendAsync(Request()));
        Assert.Contains("the destination endpoint http://db:8000 stopped answering: 4 requests in a row got no answer", lost.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorClass.Fatal, ErrorClassifier.Classify(lost));

        // Lost is lost: the next request fails without being sent.
        await Assert.ThrowsAsync<EndpointLostException>(() => client.SendAsync(Request()));
        Assert.Empty(handler.Script);
    }

    [Fact]
    public async Task Send_AnyAnswer_ResetsTheCount()
    {
        var (client, watch, handler) = Create(lostAfter: 2);
        foreach (var step in new[] { "answer", "refuse", "answer", "refuse", "answer" })
        {
            handler.Script.Enqueue(step);
            try
            {
                (await client.SendAsync(Request())).Dispose();
            }
            catch (HttpRequestException)
            {
            }
        }

        Assert.False(watch.IsLost);
        Assert.Equal(0, watch.Unanswered);
    }

    [Fact]
    public async Task Send_ToAnEndpointThatNeverAnswered_GivesUpSooner()
    {
        var (client, watch, handler) = Create(lostAfter: 10);
        for (var i = 0; i < EndpointWatch.NeverAnsweredLostAfter - 1; i++)
        {
            handler.Script.Enqueue("refuse");
            await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(Request("DescribeTable")));
        }

        handler.Script.Enqueue("refuse");
        var lost = await Assert.ThrowsAsync<EndpointLostException>(() => client.SendAsync(Request("DescribeTable")));
        Assert.Contains("does not answer", lost.Message, StringComparison.Ordinal);
        Assert.True(watch.IsLost);
    }
}
