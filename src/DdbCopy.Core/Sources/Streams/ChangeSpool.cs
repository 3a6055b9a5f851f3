using System.Buffers;
using System.Globalization;
using System.Text.Json;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Storage;

namespace DdbCopy.Core.Sources.Streams;

/// <summary>
/// The stream's records on disk, in the order each shard gave them, until they are applied: the stream is read from
/// the job's start while the scan runs (so no record waits in the stream until it is trimmed), and the records are
/// applied after the scan, then as they come. One JSON line per record, in segment files of at most
/// <see cref="SegmentBytes"/> (applied segments are deleted); the reader's shard positions are kept with the written
/// length, so a resumed job cuts the file back to that length and reads the stream on from those positions.
/// </summary>
public sealed class ChangeSpool : IChangePageSink, IAsyncDisposable
{
    public const long SegmentBytes = 64L * 1024 * 1024;

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ShardPosition> _positions;
    private readonly long _segmentBytes;
    private FileStream? _file;
    private SpoolPosition _written;
    private long _records;
    private long _version;
    private TaskCompletionSource _grew = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChangeSpool(string directory, SpoolPosition written, IEnumerable<ShardPosition> positions, long records, long segmentBytes)
    {
        Directory = directory;
        _written = written;
        _positions = positions.ToDictionary(p => p.ShardId, StringComparer.Ordinal);
        _records = records;
        _segmentBytes = segmentBytes;
    }

    public string Directory { get; }

    internal const string What = "the change spool";

    /// <summary>
    /// Opens the spool at <paramref name="written"/> (a new job: an empty folder, 0/0): segments after it, and what a
    /// killed run wrote past it, are removed; the folder is readable by its owner only (it holds table data).
    /// </summary>
    public static ChangeSpool Open(string directory, SpoolPosition written, IEnumerable<ShardPosition> positions, long records,
        long segmentBytes = SegmentBytes)
    {
        ArgumentNullException.ThrowIfNull(positions);
        directory = Path.GetFullPath(directory);
        try
        {
            OwnerOnlyFile.EnsureFolder(directory, What);
            var spool = new ChangeSpool(directory, written, positions, records, segmentBytes);
            foreach (var (segment, path) in spool.Segments().Where(s => s.Segment > written.Segment))
            {
                File.Delete(path);
            }

            var file = OwnerOnlyFile.OpenStream(spool.PathOf(written.Segment), FileAccess.Write, create: true, truncate: false, What);
            var length = file.Length;
            if (length < written.Offset)
            {
                file.Dispose();
                throw new DdbCopyException(FailureKind.Environment,
                    $"The change spool {spool.PathOf(written.Segment)} is shorter ({length} bytes) than its checkpoint says ({written.Offset}): "
                    + "it was changed or replaced, so the changes it held are lost. Start a new copy (without --resume).");
            }

            file.SetLength(written.Offset);
            file.Seek(written.Offset, SeekOrigin.Begin);
            spool._file = file;
            return spool;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DdbCopyException(FailureKind.Environment, $"Cannot open the change spool in {directory}: {ex.Message}", ex);
        }
    }

    /// <summary>Where the next record will be written (everything before it is complete lines).</summary>
    public SpoolPosition Written
    {
        get
        {
            lock (_gate)
            {
                return _written;
            }
        }
    }

    /// <summary>Records written to the spool by this job (earlier runs included).</summary>
    public long Records => Interlocked.Read(ref _records);

    public long Version => Interlocked.Read(ref _version);

    /// <summary>The shard positions that match <see cref="Written"/>, and it, as one consistent pair.</summary>
    public (IReadOnlyList<ShardPosition> Shards, SpoolPosition Written, long Records) Snapshot()
    {
        lock (_gate)
        {
            return (_positions.Values.OrderBy(p => p.ShardId, StringComparer.Ordinal).ToList(), _written, _records);
        }
    }

    public string PathOf(int segment) => Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $"changes-{segment:D6}.jsonl"));

    public async ValueTask AppendAsync(ShardPosition shard, IReadOnlyList<ChangeRecord> records, bool done, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentNullException.ThrowIfNull(records);
        var buffer = new ArrayBufferWriter<byte>(records.Count * 256 + 16);
        foreach (var record in records)
        {
            WriteLine(buffer, shard.ShardId, record);
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var file = _file ?? throw new ObjectDisposedException(nameof(ChangeSpool));
            await file.WriteAsync(buffer.WrittenMemory, CancellationToken.None);
            await file.FlushAsync(CancellationToken.None);
            lock (_gate)
            {
                _written = _written with { Offset = _written.Offset + buffer.WrittenCount };
                _positions[shard.ShardId] = shard;
                _records += records.Count;
                _version++;
            }

            if (file.Length >= _segmentBytes)
            {
                // Roll over: the next segment is created before the position moves to it.
                var next = OwnerOnlyFile.OpenStream(PathOf(_written.Segment + 1), FileAccess.Write, create: true, truncate: true, What);
                await file.DisposeAsync();
                _file = next;
                lock (_gate)
                {
                    _written = new SpoolPosition(_written.Segment + 1, 0);
                    _version++;
                }
            }
        }
        catch (IOException ex)
        {
            throw new DdbCopyException(FailureKind.CopyFailed, $"Cannot write the change spool in {Directory}: {ex.Message}", ex);
        }
        finally
        {
            _writeLock.Release();
        }

        Interlocked.Exchange(ref _grew, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    public void CaughtUp(string shardId, DateTimeOffset readStarted)
    {
        lock (_gate)
        {
            if (_positions.TryGetValue(shardId, out var position))
            {
                _positions[shardId] = position with { CaughtUpAt = readStarted };
            }
        }
    }

    /// <summary>Completes when something is written after <paramref name="position"/> (at once if it already is).</summary>
    public Task WaitBeyondAsync(SpoolPosition position, CancellationToken cancellationToken)
    {
        var grew = Volatile.Read(ref _grew).Task;
        return Written > position ? Task.CompletedTask : grew.WaitAsync(cancellationToken);
    }

    /// <summary>Deletes the segment files before <paramref name="segment"/> (applied, and saved as applied).</summary>
    public void DeleteBefore(int segment)
    {
        foreach (var (_, path) in Segments().Where(s => s.Segment < segment))
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // Tried again after the next save.
            }
        }
    }

    /// <summary>Deletes the whole spool (the job finished).</summary>
    public async Task DeleteAsync()
    {
        await DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private IEnumerable<(int Segment, string Path)> Segments() =>
        System.IO.Directory.EnumerateFiles(Directory, "changes-*.jsonl")
            .Select(p => (Segment: int.TryParse(Path.GetFileNameWithoutExtension(p)["changes-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1,
                Path: p))
            .Where(s => s.Segment >= 0)
            .ToList();

    /// <summary>One spool line: <c>{"s":shard,"q":sequence,"t":ms,"e":event,"k":keys,"n":new,"o":old}</c>.</summary>
    private static void WriteLine(ArrayBufferWriter<byte> buffer, string shardId, ChangeRecord record)
    {
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("s", shardId);
            writer.WriteString("q", record.SequenceNumber);
            writer.WriteNumber("t", record.Created.ToUnixTimeMilliseconds());
            writer.WriteString("e", record.EventName);
            writer.WritePropertyName("k");
            DynamoDbJson.WriteItem(writer, record.Keys);
            if (record.NewImage is { } image)
            {
                writer.WritePropertyName("n");
                DynamoDbJson.WriteItem(writer, image);
            }

            if (record.OldImage is { } old && record.IsRemove)
            {
                writer.WritePropertyName("o");
                DynamoDbJson.WriteItem(writer, old);
            }

            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
    }

    /// <summary>Reads one spool line back.</summary>
    public static (string ShardId, ChangeRecord Record) ReadLine(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var record = new ChangeRecord(
            root.GetProperty("q").GetString()!,
            root.GetProperty("e").GetString()!,
            DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("t").GetInt64()),
            DynamoDbJson.ReadItem(root.GetProperty("k"), ""),
            root.TryGetProperty("n", out var n) ? DynamoDbJson.ReadItem(n, "") : null,
            root.TryGetProperty("o", out var o) ? DynamoDbJson.ReadItem(o, "") : null,
            0);
        return (root.GetProperty("s").GetString()!, record);
    }

    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            if (_file is not null)
            {
                await _file.DisposeAsync();
                _file = null;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
