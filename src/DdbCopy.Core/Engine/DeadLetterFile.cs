using System.Text;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Formats;

namespace DdbCopy.Core.Engine;

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

    private const string What = "the dead-letter file";

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Checks before the first write that the file can be created or appended to (see <see cref="Storage.OwnerOnlyFile"/>).</summary>
    public void CheckWritable() => Storage.OwnerOnlyFile.CheckWritable(Path, What);

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

        await AppendAsync(text, items.Count);
    }

    /// <summary>
    /// Records an item DynamoDB refused, with its reason: <c>{"Item":{...},"Error":"..."}</c>. Importing the file
    /// again sends the item again (and rejects it again, with the reason, unless it was fixed).
    /// </summary>
    public async Task WriteRefusedAsync(Dictionary<string, AttributeValue> item, string reason)
    {
        var text = new StringBuilder(DynamoDbJson.ToJsonLine(item, reason)).Append('\n');
        await AppendAsync(text, 1);
    }

    /// <summary>
    /// Records a delete (a stream change) that could not be applied: <c>{"Delete":{keys},"Error":"..."}</c>. An import
    /// does not apply such lines (it rejects them, naming the line): delete those keys by hand.
    /// </summary>
    public async Task WriteDeleteAsync(Dictionary<string, AttributeValue> keys, string reason)
    {
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("Delete");
            DynamoDbJson.WriteItem(writer, keys);
            writer.WriteString(DynamoDbJson.ErrorField, reason);
            writer.WriteEndObject();
        }

        await AppendAsync(new StringBuilder(Encoding.UTF8.GetString(buffer.ToArray())).Append('\n'), 1);
    }

    private async Task AppendAsync(StringBuilder text, int count)
    {
        await _lock.WaitAsync();
        try
        {
            _writer ??= Storage.OwnerOnlyFile.OpenAppend(Path, What);
            await _writer.WriteAsync(text);
            await _writer.FlushAsync();
            Interlocked.Add(ref _count, count);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DdbCopyException)
        {
            throw new DdbCopyException(FailureKind.CopyFailed, ex is DdbCopyException ? ex.Message : $"Cannot write the dead-letter file {Path}: {ex.Message}", ex);
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
