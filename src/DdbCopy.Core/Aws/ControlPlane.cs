using Amazon.DynamoDBv2.Model;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace DdbCopy.Core.Aws;

/// <summary>
/// The one resilience pipeline of control-plane calls: DescribeTable (also each poll of a wait), CreateTable,
/// UpdateTable, DeleteTable, TTL, tags and backups. Throttling (LimitExceededException, ThrottlingException, ...),
/// 5xx answers, timeouts and network failures are retried with jittered exponential backoff, at most
/// <see cref="MaxAttempts"/> attempts and <see cref="MaxTotalTime"/> in all; anything else fails at once. Calls that
/// change something go through <see cref="ApplyAsync"/>, which knows that an attempt without an answer may have been
/// applied.
/// </summary>
public static class ControlPlane
{
    public const int MaxAttempts = 12;

    /// <summary>How long one control-plane call may take, its retries included.</summary>
    public static readonly TimeSpan MaxTotalTime = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(8);

    public static ResiliencePipeline Pipeline(TimeProvider timeProvider) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddTimeout(new TimeoutStrategyOptions { Timeout = MaxTotalTime })
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = BaseDelay,
                MaxDelay = MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } ex && ErrorClassifier.IsRetryable(ex, args.Context.CancellationToken)),
            })
            .Build();

    /// <summary>A call that only reads (DescribeTable, DescribeTimeToLive, ...).</summary>
    public static async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        return await Pipeline(timeProvider).ExecuteAsync(async ct => await call(ct), cancellationToken);
    }

    /// <summary>
    /// A call that changes something. Its answer may be lost after the change was applied, and then a retry (ours, or
    /// the HTTP stack's own re-send of a request whose connection dropped) is refused because the change is already
    /// there. <paramref name="alreadyApplied"/> decides whether a refusal only says so (the table exists, is gone,
    /// already has the capacity wanted), in which case the call counts as done.
    /// </summary>
    public static async Task ApplyAsync(Func<CancellationToken, Task> call, Func<Exception, CancellationToken, Task<bool>> alreadyApplied,
        TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(alreadyApplied);
        await Pipeline(timeProvider).ExecuteAsync(async ct =>
        {
            try
            {
                await call(ct);
            }
            catch (Exception ex) when (ErrorClassifier.Classify(ex, ct) == ErrorClass.Fatal && ex is not OperationCanceledException)
            {
                if (!await alreadyApplied(ex, ct))
                {
                    throw;
                }
            }
        }, cancellationToken);
    }

    /// <summary>For <see cref="ApplyAsync"/>: the table a CreateTable was for exists now (its keys are checked after it is ACTIVE).</summary>
    public static Task<bool> TableExists(Exception refusal) => Task.FromResult(refusal is ResourceInUseException);

    /// <summary>For <see cref="ApplyAsync"/>: the table a DeleteTable was for is gone (or being deleted, which the wait that follows sees through).</summary>
    public static Task<bool> TableGone(Exception refusal) => Task.FromResult(refusal is ResourceNotFoundException or ResourceInUseException);
}
