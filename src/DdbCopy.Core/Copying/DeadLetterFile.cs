using System.Text;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Errors;
using DdbCopy.Core.Formats;

namespace DdbCopy.Core.Copying;

/// <summary>
/// Items that could not be written, one DynamoDB JSON line each (<c>{"Item":{...}}</c>), so they can be re-sent with
/// <c>ddbcopy import --from FILE</c>. The file is created on the first item only, readable and writable by its owner
/// only (it holds table data), and flushed after every write so a crash keeps what was recorded.
/// </summary>
public sealed class DeadLetterFile(string path) : IAsyncDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private StreamWriter? _writer;
    private long _count;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public long Count => Interlocked.Read(ref _count);

    /// <summary>The default name: in the working directory, named after the destination table and the time.</summary>
    public static string DefaultPath(string destinationTable, DateTimeOffset now) =>
        $"ddbcopy-deadletter-{destinationTable}-{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.jsonl";

    public async Task WriteAsync(IReadOnlyList<Dictionary<string, AttributeValue>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return;
        }

        var text = new StringBuilder();
        foreach (var item in items)
        {
            text.Append(DynamoDbJson.ToJsonLine(item)).Append('\n');
        }

        await _lock.WaitAsync();
        try
        {
            _writer ??= Storage.OwnerOnlyFile.OpenAppend(Path);
            await _writer.WriteAsync(text);
            await _writer.FlushAsync();
            Interlocked.Add(ref _count, items.Count);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DdbCopyException(FailureKind.CopyFailed, $"Cannot write the dead-letter file {Path}: {ex.Message}", ex);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }

        _lock.Dispose();
    }
}
