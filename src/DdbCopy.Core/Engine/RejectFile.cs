using System.Text.Json;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Storage;

namespace DdbCopy.Core.Engine;

/// <summary>
/// Input records that could not become items, one JSON object per line (<c>{"file":..,"line":..,"reason":..,"text":..}</c>),
/// so they can be fixed and imported again. Created on the first reject only, owner-only (it holds table data). When the
/// job masks values (<see cref="Withholds"/>), a record as it was read is never written (its text is left out) and the
/// values its reason quotes (<see cref="Items.RecordText"/>) are withheld, in the file and in the log: only an item
/// already masked keeps its text.
/// </summary>
public sealed class RejectFile(string path) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private StreamWriter? _writer;

    private const string What = "the reject file";

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Checks before the first write that the file can be created or appended to (see <see cref="OwnerOnlyFile"/>).</summary>
    public void CheckWritable() => OwnerOnlyFile.CheckWritable(Path, What);

    public long Count { get; private set; }

    /// <summary>True when the job masks values: nothing as it was read reaches the file or the log.</summary>
    public bool Withholds { get; init; }

    /// <summary>A message about a record, its values shown or withheld as this file does (for an error that quotes a reject).</summary>
    public string Render(string message) => Items.RecordText.Render(message, Withholds);

    public static string DefaultPath(string destinationTable, DateTimeOffset now) =>
        $"ddbcopy-rejected-{destinationTable}-{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.jsonl";

    /// <summary>Logs a rejected record with where it came from and why (never its text), and records it in the file.</summary>
    /// <param name="text">The record as it was read, or (with <paramref name="masked"/>) an item that went through the job's masking.</param>
    /// <exception cref="DdbCopyException">The file could not be written.</exception>
    public void Record(Microsoft.Extensions.Logging.ILogger logger, string file, long line, string reason, string text, bool masked = false)
    {
        var why = Render(reason);
        file = Render(file);
        Log.Rejected(logger, file, line, why);
        var json = JsonSerializer.Serialize(new RejectLine(file, line, why, Withholds && !masked ? null : text), RejectLineContext.Default.RejectLine);
        lock (_lock)
        {
            try
            {
                _writer ??= OwnerOnlyFile.OpenAppend(Path, What);
                _writer.Write(json);
                _writer.Write('\n');
                _writer.Flush();
                Count++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DdbCopyException)
            {
                throw new DdbCopyException(FailureKind.CopyFailed, ex is DdbCopyException ? ex.Message : $"Cannot write the reject file {Path}: {ex.Message}", ex);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }
    }
}

/// <param name="Text">The record; null when the job masks values and the record was not masked yet.</param>
public sealed record RejectLine(string File, long Line, string Reason, string? Text);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
[System.Text.Json.Serialization.JsonSerializable(typeof(RejectLine))]
internal sealed partial class RejectLineContext : System.Text.Json.Serialization.JsonSerializerContext;
