using DdbCopy.Core.Aws;

namespace DdbCopy.Core.Engine;

/// <summary>Runs the reading half of a job: a failed input stops the reading but lets what is queued drain.</summary>
internal static class SourceRun
{
    /// <returns>True when the whole input was produced.</returns>
    public static async Task<bool> RunAsync(IItemSource producer, SourceContext context, CancellationTokenSource readStop,
        Action<DdbCopyException> fail)
    {
        await Task.Yield();
        try
        {
            return await producer.ProduceAsync(context);
        }
        catch (OperationCanceledException) when (context.Abort.IsCancellationRequested)
        {
            return false;
        }
        catch (DdbCopyException ex)
        {
            // The input failed: read no more, but let the consumers finish what is already queued.
            fail(ex);
            await readStop.CancelAsync();
            return false;
        }
        finally
        {
            context.Output.TryComplete();
        }
    }
}
