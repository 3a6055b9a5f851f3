namespace DdbCopy.Core.Capacity;

/// <summary>
/// An async gate with a limit that can change while it is used: at most <see cref="Limit"/> holders at once, waiters let
/// in first come, first served. Written by hand: SemaphoreSlim cannot take back slots it handed out, and
/// System.Threading.RateLimiting's ConcurrencyLimiter has a fixed permit limit.
/// </summary>
public sealed class ConcurrencyGate
{
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _waiters = new();
    private int _limit;
    private int _inUse;

    public ConcurrencyGate(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        _limit = limit;
    }

    public int Limit
    {
        get
        {
            lock (_lock)
            {
                return _limit;
            }
        }
    }

    /// <summary>How many hold the gate now.</summary>
    public int InUse
    {
        get
        {
            lock (_lock)
            {
                return _inUse;
            }
        }
    }

    /// <summary>Waits for a place; dispose the answer to give it back.</summary>
    public async ValueTask<Place> EnterAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (_inUse < _limit && _waiters.Count == 0)
            {
                _inUse++;
                return new Place(this);
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
        }

        using (cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken)))
        {
            await waiter.Task.ConfigureAwait(false);
        }

        return new Place(this);
    }

    /// <summary>Changes the limit: a higher one lets waiters in now, a lower one takes effect as holders leave.</summary>
    public void SetLimit(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        lock (_lock)
        {
            _limit = limit;
            LetIn();
        }
    }

    private void Exit()
    {
        lock (_lock)
        {
            _inUse--;
            LetIn();
        }
    }

    /// <summary>Called with the lock held.</summary>
    private void LetIn()
    {
        while (_inUse < _limit && _waiters.TryDequeue(out var next))
        {
            if (next.TrySetResult())
            {
                _inUse++;
            }
        }
    }

    /// <summary>A place in the gate, given back when disposed.</summary>
    public readonly struct Place(ConcurrencyGate gate) : IDisposable
    {
        public void Dispose() => gate.Exit();
    }
}
