using DdbCopy.Core.Aws;

namespace DdbCopy.Tests.Aws;

public sealed class RetryPipelinesTests
{
    [Theory]
    [InlineData(0, 25, 50)]
    [InlineData(1, 50, 100)]
    [InlineData(3, 200, 400)]
    [InlineData(20, 5_000, 10_000)] // capped at 10 s
    public void Backoff_GrowsExponentiallyWithEqualJitterAndACap(int attempt, double minMs, double maxMs)
    {
        for (var i = 0; i < 200; i++)
        {
            var delay = RetryPipelines.Backoff(attempt).TotalMilliseconds;
            Assert.InRange(delay, minMs, maxMs);
        }
    }

    [Fact]
    public async Task Create_RetriesRetryableErrorsAndGivesUpAfterTheLimit()
    {
        var attempts = 0;
        var retried = new List<ErrorClass>();
        var pipeline = RetryPipelines.Create(3, TimeProvider.System, retried.Add, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2));

        await Assert.ThrowsAsync<HttpRequestException>(() => pipeline.ExecuteAsync(_ =>
        {
            attempts++;
            throw new HttpRequestException("connection refused");
        }).AsTask());

        Assert.Equal(4, attempts);
        Assert.Equal([ErrorClass.Retryable, ErrorClass.Retryable, ErrorClass.Retryable], retried);
    }

    [Fact]
    public async Task Create_NeverRetriesFatalErrors()
    {
        var attempts = 0;
        var pipeline = RetryPipelines.Create(5, TimeProvider.System);

        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.ExecuteAsync(_ =>
        {
            attempts++;
            throw new InvalidOperationException("validation");
        }).AsTask());

        Assert.Equal(1, attempts);
    }
}
