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
    private readonly TimeProvider _time;
    private int _limit;
    private int _inUse;
    private long _since;
    private double _heldSeconds;
    private double _placeSeconds;

    public ConcurrencyGate(int limit, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        _limit = limit;
        _time = timeProvider ?? TimeProvider.System;
        _since = _time.GetTimestamp();
    }

    /// <summary>
    /// Since the gate was made: the seconds its places were held, summed over the places, and the seconds of places
    /// it had (its limit over time). Their ratio over a stretch is how full the gate was.
    /// </summary>
    public (double Held, double Places) Use
    {
        get
        {
            lock (_lock)
            {
                Tally();
                return (_heldSeconds, _placeSeconds);
            }
        }
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
                Tally();
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
            Tally();
            _limit = limit;
            LetIn();
        }
    }

    private void Exit()
    {
        lock (_lock)
        {
            Tally();
            _inUse--;
            LetIn();
        }
    }

    /// <summary>Adds the time since the last change at the current use. Called with the lock held, before a change.</summary>
    private void Tally()
    {
        var now = _time.GetTimestamp();
        var seconds = _time.GetElapsedTime(_since, now).TotalSeconds;
        _since = now;
        _heldSeconds += Math.Min(_inUse, _limit) * seconds;
        _placeSeconds += _limit * seconds;
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
