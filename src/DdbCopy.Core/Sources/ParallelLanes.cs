using DdbCopy.Core.Aws;

namespace DdbCopy.Core.Sources;

/// <summary>
/// Reads a source's lanes (scan segments, key ranges of a database table) in parallel: when one lane fails, the others
/// stop reading too (their stop token is cancelled) and the failure is thrown; a hard stop ends them all.
/// </summary>
internal static class ParallelLanes
{
    /// <param name="readLane">Reads one lane with the stop token it is given; true when it was read to its end.</param>
    /// <returns>True when every lane was read to its end.</returns>
    /// <exception cref="DdbCopyException">A lane failed.</exception>
    public static async Task<bool> RunAsync(IEnumerable<int> lanes, int maxParallel, CancellationToken stop, CancellationToken abort,
        Func<int, CancellationToken, Task<bool>> readLane)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var complete = true;
        try
        {
            await Parallel.ForEachAsync(lanes, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxParallel), CancellationToken = abort },
                async (lane, _) =>
                {
                    try
                    {
                        if (!await readLane(lane, failed.Token))
                        {
                            complete = false;
                        }
                    }
                    catch (DdbCopyException)
                    {
                        await failed.CancelAsync(); // one lane failed: the others stop reading too
                        throw;
                    }
                });
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            complete = false;
        }

        return complete;
    }
}
