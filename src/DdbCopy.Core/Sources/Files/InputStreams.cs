using DdbCopy.Core.Formats;
using DdbCopy.Core.Storage;

namespace DdbCopy.Core.Sources.Files;

/// <summary>Opens input files decompressed: the compression comes from the name, or from the first bytes of a local file.</summary>
internal static class InputStreams
{
    public static DataCompression DetectCompression(Stream raw, string name)
    {
        Span<byte> head = stackalloc byte[4];
        var read = 0;
        if (raw.CanSeek)
        {
            read = raw.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            raw.Position = 0;
        }

        return DataCompressions.Detect(name, head[..read]);
    }

    public static async Task<TextReader> OpenTextAsync(IFileStore store, string name, CancellationToken cancellationToken)
    {
        var raw = await store.OpenReadAsync(name, cancellationToken);
        return new StreamReader(DataCompressions.Decompress(raw, DetectCompression(raw, name)));
    }
}
