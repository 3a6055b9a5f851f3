using DdbCopy.Core.Aws;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Storage;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Jobs.Exporting;

/// <summary>
/// The small files of an export (manifests, a section's part, the schema), read and written whole, with a failure as a
/// <see cref="DdbCopyException"/> naming the file; and the manifest of a whole export, written the same way by a plain
/// export and by the last section of a sectioned one.
/// </summary>
internal static class ExportFiles
{
    public static async Task<string> ReadAsync(IFileStore store, string name, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await store.OpenReadAsync(name, cancellationToken);
            using var reader = new StreamReader(stream);
            return await reader.ReadToEndAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DdbCopyException))
        {
            throw new DdbCopyException(FailureKind.Environment, $"Cannot read {name} under {store.Root}: {ErrorText.Describe(ex)}", ex);
        }
    }

    public static async Task WriteAsync(IFileStore store, string name, string text, CancellationToken cancellationToken)
    {
        try
        {
            await store.WriteAllTextAsync(name, text, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new DdbCopyException(FailureKind.Environment, $"Cannot write {name} under {store.Root}: {ErrorText.Describe(ex)}", ex);
        }
    }

    /// <summary>
    /// Writes the manifest of a whole export (AWS's layout): the list of data files, then the summary (which marks the
    /// export complete), with where it is (<paramref name="s3"/>, null for a folder) filled in.
    /// </summary>
    public static async Task WriteManifestAsync(IFileStore store, IReadOnlyList<ManifestFile> files, ManifestSummary summary, S3Location? s3,
        ILogger logger, CancellationToken cancellationToken)
    {
        await WriteAsync(store, ExportManifest.FilesName, ExportManifest.WriteFiles(files), cancellationToken);
        await WriteAsync(store, ExportManifest.SummaryName, ExportManifest.WriteSummary(summary with
        {
            S3Bucket = s3?.Bucket,
            S3Prefix = s3?.Prefix,
            ManifestFilesS3Key = store.ManifestKey(ExportManifest.FilesName),
        }), cancellationToken);
        Log.ManifestWritten(logger, store.Root, files.Count, summary.ItemCount);
    }
}
