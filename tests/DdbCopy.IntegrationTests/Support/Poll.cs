using System.Diagnostics;
using System.Text.Json;

namespace DdbCopy.IntegrationTests.Support;

/// <summary>Waiting for something a running CLI process does, and reading the files it keeps while it runs.</summary>
public static class Poll
{
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? limit = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, limit);

    /// <summary>Polls <paramref name="condition"/> (awaited, never blocked on: a blocked test thread can starve xunit's few) every 50 ms.</summary>
    /// <exception cref="TimeoutException">It did not hold within <paramref name="limit"/> (2 minutes unless told).</exception>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > (limit ?? TimeSpan.FromMinutes(2)))
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>A JSON file a process replaces while it runs (a checkpoint): its root, or null while it is missing or being written.</summary>
    public static JsonElement? ReadJson(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.Clone();
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }
}
