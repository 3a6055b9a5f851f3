using System.Buffers.Binary;

namespace DdbCopy.Core.Jobs.Verifying;

/// <summary>
/// One side's items as fingerprints on disk (key hash, content hash, the key as DynamoDB JSON), spread over bucket
/// files by key hash, so two sides can be compared bucket by bucket in bounded memory whatever the table's size.
/// Files are owner-only (they hold key values). Written by hand: no package spills hashed records to disk.
/// </summary>
public sealed class FingerprintSpill : IDisposable
{
    /// <summary>Buckets per level: the bucket of a record at level L is bits 6L..6L+5 of its key hash.</summary>
    public const int Buckets = 64;

    private readonly Stream[] _files = new Stream[Buckets];
    private readonly Lock[] _locks = Enumerable.Range(0, Buckets).Select(_ => new Lock()).ToArray();

    public FingerprintSpill(string folder, string side)
    {
        Folder = folder;
        Side = side;
        for (var i = 0; i < Buckets; i++)
        {
            _files[i] = Create(PathOf(folder, side, i));
        }
    }

    public string Folder { get; }

    public string Side { get; }

    public static string PathOf(string folder, string side, int bucket) => Path.Combine(folder, $"{side}-{bucket:00}.bin");

    public static int BucketOf(UInt128 keyHash, int level) => (int)((keyHash >> (6 * level)) & (Buckets - 1));

    public void Add(UInt128 keyHash, UInt128 contentHash, ReadOnlySpan<byte> keyJson)
    {
        var bucket = BucketOf(keyHash, 0);
        lock (_locks[bucket])
        {
            Write(_files[bucket], new SpillRecord(keyHash, contentHash, keyJson.ToArray()));
        }
    }

    public void Dispose()
    {
        foreach (var file in _files)
        {
            file.Dispose();
        }
    }

    internal static Stream Create(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, BufferSize = 1 << 16 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }

    internal static void Write(Stream output, SpillRecord record)
    {
        Span<byte> head = stackalloc byte[36];
        BinaryPrimitives.WriteUInt128LittleEndian(head, record.KeyHash);
        BinaryPrimitives.WriteUInt128LittleEndian(head[16..], record.ContentHash);
        BinaryPrimitives.WriteInt32LittleEndian(head[32..], record.KeyJson.Length);
        output.Write(head);
        output.Write(record.KeyJson);
    }

    internal static IEnumerable<SpillRecord> Read(string path)
    {
        using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var head = new byte[36];
        while (true)
        {
            var read = input.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (read == 0)
            {
                yield break;
            }

            if (read < head.Length)
            {
                throw new InvalidDataException($"{path} ends in the middle of a record.");
            }

            var key = new byte[BinaryPrimitives.ReadInt32LittleEndian(head.AsSpan(32))];
            input.ReadExactly(key);
            yield return new SpillRecord(BinaryPrimitives.ReadUInt128LittleEndian(head), BinaryPrimitives.ReadUInt128LittleEndian(head.AsSpan(16)), key);
        }
    }
}

/// <summary>One item's fingerprint: which item (its key's hash, and the key itself) and what it holds (its content's hash).</summary>
public sealed record SpillRecord(UInt128 KeyHash, UInt128 ContentHash, byte[] KeyJson);
