using System.IO.Compression;

namespace DdbCopy.Core.Formats;

/// <summary>How export data files are compressed. AWS's own exports use gzip.</summary>
public enum DataCompression
{
    Gzip,
    Zstd,
    None,
}

/// <summary>Compressing streams for the data files, and recognising a file's compression when reading it.</summary>
public static class DataCompressions
{
    public static string Extension(DataCompression compression) => compression switch
    {
        DataCompression.Gzip => ".json.gz",
        DataCompression.Zstd => ".json.zst",
        _ => ".json",
    };

    /// <summary>A stream that compresses into <paramref name="output"/> and leaves it open when disposed.</summary>
    public static Stream Compress(Stream output, DataCompression compression) => compression switch
    {
        DataCompression.Gzip => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
        DataCompression.Zstd => new ZstdSharp.CompressionStream(output, level: 3, leaveOpen: true),
        _ => new NonClosingStream(output),
    };

    /// <summary>The compression of a file, from its name (<c>.gz</c>, <c>.zst</c>) or else from its first bytes.</summary>
    public static DataCompression Detect(string name, ReadOnlySpan<byte> head)
    {
        if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || head is [0x1f, 0x8b, ..])
        {
            return DataCompression.Gzip;
        }

        return name.EndsWith(".zst", StringComparison.OrdinalIgnoreCase) || head is [0x28, 0xb5, 0x2f, 0xfd, ..]
            ? DataCompression.Zstd
            : DataCompression.None;
    }

    /// <summary>A stream that decompresses <paramref name="input"/> (and disposes it when disposed, unless <paramref name="leaveOpen"/>).</summary>
    public static Stream Decompress(Stream input, DataCompression compression, bool leaveOpen = false) => compression switch
    {
        DataCompression.Gzip => new GZipStream(input, CompressionMode.Decompress, leaveOpen),
        DataCompression.Zstd => new ZstdSharp.DecompressionStream(input, leaveOpen: leaveOpen),
        _ => input,
    };

    /// <summary>Passes writes through and flushes, but does not close the stream under it.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(buffer, cancellationToken);
    }
}
