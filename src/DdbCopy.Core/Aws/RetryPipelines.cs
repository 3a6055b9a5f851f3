using Polly;
using Polly.Retry;

namespace DdbCopy.Core.Aws;

/// <summary>Builds the Polly retry pipelines: bounded attempts, jittered exponential backoff with a cap.</summary>
public static class RetryPipelines
{
    public static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The pause before attempt <paramref name="attempt"/> + 1 outside Polly (re-sending what a partly successful batch
    /// left): exponential from <paramref name="baseDelay"/>, capped at <paramref name="maxDelay"/>, with equal jitter.
    /// </summary>
    public static TimeSpan Backoff(int attempt, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null)
    {
        var exponential = (baseDelay ?? BaseDelay).TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(exponential, (maxDelay ?? MaxDelay).TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + Random.Shared.NextDouble() * capped / 2);
    }

    /// <param name="onRetry">Told the class of each failure that is about to be retried.</param>
    public static ResiliencePipeline Create(int maxRetries, TimeProvider timeProvider, Action<ErrorClass>? onRetry = null,
        TimeSpan? baseDelay = null, TimeSpan? maxDelay = null)
    {
        var options = new RetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(0, maxRetries) == 0 ? 1 : maxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = baseDelay ?? BaseDelay,
            MaxDelay = maxDelay ?? MaxDelay,
            ShouldHandle = args => ValueTask.FromResult(
                maxRetries > 0
                && args.Outcome.Exception is { } ex
                && ErrorClassifier.IsRetryable(ex, args.Context.CancellationToken)),
            OnRetry = args =>
            {
                if (args.Outcome.Exception is { } ex)
                {
                    onRetry?.Invoke(ErrorClassifier.Classify(ex));
                }

                return ValueTask.CompletedTask;
            },
        };
        return new ResiliencePipelineBuilder { TimeProvider = timeProvider }.AddRetry(options).Build();
    }
}
