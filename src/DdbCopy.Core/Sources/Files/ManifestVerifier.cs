using System.Security.Cryptography;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Formats;

namespace DdbCopy.Core.Sources.Files;

/// <summary>
/// Before anything is written: every data file a manifest lists must exist, have the MD5 the manifest gives (of its
/// bytes as stored, base64 as AWS writes it, or hex) and hold the number of items it says; the files together must
/// hold the summary's item count. Reads each file once, streaming.
/// </summary>
public static class ManifestVerifier
{
    /// <returns>The number of items the export holds.</returns>
    /// <exception cref="DdbCopyException">A file is missing or differs from the manifest; nothing has been written.</exception>
    public static async Task<long> VerifyAsync(ImportSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        long total = 0;
        foreach (var file in source.Files)
        {
            var (md5, items) = await MeasureAsync(source, file, cancellationToken);
            if (file.Md5Checksum is { Length: > 0 } expected
                && expected != Convert.ToBase64String(md5)
                && !expected.Equals(Convert.ToHexString(md5), StringComparison.OrdinalIgnoreCase))
            {
                throw Mismatch(source, file, $"its MD5 is {Convert.ToBase64String(md5)} but the manifest says {expected}");
            }

            if (file.ItemCount is { } count && count != items)
            {
                throw Mismatch(source, file, $"it holds {items} items but the manifest says {count}");
            }

            total += items;
        }

        if (source.Summary is { } summary && summary.ItemCount != total)
        {
            throw new DdbCopyException(FailureKind.Environment,
                $"{source.Store.Root}: the data files hold {total} items but {ExportManifest.SummaryName} says {summary.ItemCount}: the export is incomplete or altered; nothing was written.");
        }

        return total;
    }

    private static async Task<(byte[] Md5, long Items)> MeasureAsync(ImportSource source, InputFile file, CancellationToken cancellationToken)
    {
        try
        {
            await using var raw = await source.Store.OpenReadAsync(file.Name, cancellationToken);
            var compression = InputStreams.DetectCompression(raw, file.Name);
            using var md5 = MD5.Create();
            await using var hashing = new CryptoStream(raw, md5, CryptoStreamMode.Read, leaveOpen: true);
            long items = 0;
            var data = DataCompressions.Decompress(hashing, compression, leaveOpen: true);
            try
            {
                using var reader = new StreamReader(data, leaveOpen: true);
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (!string.IsNullOrWhiteSpace(line))
                    {
                        items++;
                    }
                }
            }
            finally
            {
                if (!ReferenceEquals(data, hashing))
                {
                    await data.DisposeAsync();
                }
            }

            // Whatever the decompressor left unread still counts for the checksum; reaching the end finishes the hash.
            await hashing.CopyToAsync(Stream.Null, cancellationToken);
            return (md5.Hash!, items);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DdbCopyException))
        {
            throw Mismatch(source, file, $"it cannot be read ({ErrorText.Describe(ex)})");
        }
    }

    private static DdbCopyException Mismatch(ImportSource source, InputFile file, string what) =>
        new(FailureKind.Environment, $"{source.PathOf(file)} does not match the manifest: {what}; nothing was written.");
}
