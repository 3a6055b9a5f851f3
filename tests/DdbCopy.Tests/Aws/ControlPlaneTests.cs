using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;
using Microsoft.Extensions.Time.Testing;

namespace DdbCopy.Tests.Aws;

public sealed class ControlPlaneTests
{
    private readonly FakeTimeProvider _time = new();

    /// <summary>Runs a call to its end, moving the fake clock on whenever it waits (its backoff), never sleeping.</summary>
    private async Task<T> PumpAsync<T>(Func<TimeProvider, Task<T>> call)
    {
        // Small steps: time that passes while an attempt runs (not waiting for its backoff) counts against the
        // 2-minute bound, and a busy machine runs more steps per attempt.
        var task = call(_time);
        while (!task.IsCompleted)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
        }

        return await task;
    }

    private Task PumpAsync(Func<TimeProvider, Task> call) => PumpAsync(async time =>
    {
        await call(time);
        return 0;
    });
    private static ResourceNotFoundException NotFound() => new("Cannot do operations on a non-existent table")
    {
        ErrorCode = "ResourceNotFoundException",
        StatusCode = HttpStatusCode.BadRequest,
    };

    private static AmazonDynamoDBException Throttled() => new("Rate exceeded")
    {
        ErrorCode = "LimitExceededException",
        StatusCode = HttpStatusCode.BadRequest,
    };

    [Fact]
    public async Task Apply_WhenAnAttemptGotNoAnswerAndTheRetryIsRefusedAsAlreadyDone_CountsAsDone()
    {
        var attempts = 0;
        await PumpAsync(time => ControlPlane.ApplyAsync(_ =>
        {
            attempts++;
            return attempts == 1 ? throw new HttpRequestException("Connection reset by peer") : throw NotFound();
        }, (refusal, _) => ControlPlane.TableGone(refusal), time, default));

        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task Apply_WhenRefusedForAnotherReason_Throws()
    {
        var validation = new AmazonDynamoDBException("One or more parameter values were invalid") { ErrorCode = "ValidationException", StatusCode = HttpStatusCode.BadRequest };
        await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            PumpAsync(time => ControlPlane.ApplyAsync(_ => throw validation, (refusal, _) => ControlPlane.TableGone(refusal), time, default)));
    }

    [Fact]
    public async Task Call_WhenThrottledAFewTimes_Retries()
    {
        var attempts = 0;
        var result = await PumpAsync(time => ControlPlane.CallAsync(_ => ++attempts < 4 ? throw Throttled() : Task.FromResult(attempts), time, default));
        Assert.Equal(4, result);
    }

    [Fact]
    public async Task Call_WhenThrottledEveryTime_GivesUpAfterMaxAttempts()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<AmazonDynamoDBException>(() => PumpAsync(time => ControlPlane.CallAsync<int>(_ => { attempts++; throw Throttled(); }, time, default)));
        Assert.Equal(ControlPlane.MaxAttempts, attempts);
    }

    [Fact]
    public async Task Call_ThatHangs_IsStoppedWhenTheTotalBoundPasses()
    {
        var attempts = 0;
        var calling = ControlPlane.CallAsync<int>(async ct =>
        {
            Interlocked.Increment(ref attempts);
            await Task.Delay(Timeout.Infinite, ct);
            return 0;
        }, _time, default);
        for (var i = 0; i < 500 && Volatile.Read(ref attempts) == 0; i++)
        {
            await Task.Delay(10);
        }

        _time.Advance(ControlPlane.MaxTotalTime - TimeSpan.FromSeconds(1));
        Assert.False(calling.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<Polly.Timeout.TimeoutRejectedException>(() => calling.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, attempts);
    }
}
