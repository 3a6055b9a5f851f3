using DdbCopy.Core.Aws;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Storage;

namespace DdbCopy.Core.Sources.Files;

/// <summary>One file to import, with what a manifest says of it (when there is one).</summary>
public sealed record InputFile(string Name, long? ItemCount = null, string? Md5Checksum = null);

/// <summary>
/// What <c>--from</c> names, resolved: a single file; a folder or prefix holding an export (ours, or AWS's native
/// layout under <c>AWSDynamoDB/ID/</c>), read through its manifest; or a folder or prefix of data files.
/// </summary>
public sealed record ImportSource(IFileStore Store, IReadOnlyList<InputFile> Files, ManifestSummary? Summary, string? SchemaJson) : IDisposable
{
    // Manifests and markers of AWS exports, and of legacy Data Pipeline exports ("manifest", "_SUCCESS").
    private static readonly string[] NotData = [ExportManifest.SummaryName, ExportManifest.FilesName, ExportManifest.SchemaName, "_started", "manifest", "_SUCCESS"];

    public void Dispose() => Store.Dispose();

    /// <summary>Where a file is, for messages and the reject file: a path or an s3:// URL.</summary>
    public string PathOf(InputFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return $"{Store.Root.TrimEnd('/')}/{file.Name}";
    }

    /// <param name="allowIncomplete">Import the data files of an export that did not finish, instead of refusing it.</param>
    public static async Task<ImportSource> ResolveAsync(StorageLocation from, SideSpec s3, CancellationToken cancellationToken, bool allowIncomplete = false)
    {
        ArgumentNullException.ThrowIfNull(from);
        try
        {
            return from switch
            {
                LocalLocation { Path: var path } when File.Exists(path) =>
                    new ImportSource(new DirectoryStore(Path.GetDirectoryName(path)!), [new InputFile(Path.GetFileName(path))], null, null),
                LocalLocation { Path: var path } when !Directory.Exists(path) =>
                    throw new DdbCopyException(FailureKind.Environment, $"{path} does not exist."),
                S3Location s3Location => await ResolveS3Async(s3Location, s3, allowIncomplete, cancellationToken),
                _ => await ResolveFolderAsync(FileStores.Open(from, s3), allowIncomplete, cancellationToken),
            };
        }
        catch (Exception ex) when (ex is not (DdbCopyException or OperationCanceledException))
        {
            throw new DdbCopyException(FailureKind.Environment, $"Cannot read {from}: {ErrorText.Describe(ex)}", ex);
        }
    }

    private static async Task<ImportSource> ResolveS3Async(S3Location location, SideSpec s3, bool allowIncomplete, CancellationToken cancellationToken)
    {
        var parent = location.Prefix.Contains('/', StringComparison.Ordinal) ? location.Prefix[..location.Prefix.LastIndexOf('/')] : "";
        var name = location.Prefix[(parent.Length == 0 ? 0 : parent.Length + 1)..];
        if (name.Length > 0)
        {
            var parentStore = FileStores.Open(location with { Prefix = parent }, s3);
            if (await parentStore.ExistsAsync(name, cancellationToken))
            {
                return new ImportSource(parentStore, [new InputFile(name)], null, null);
            }

            parentStore.Dispose();
        }

        return await ResolveFolderAsync(FileStores.Open(location, s3), allowIncomplete, cancellationToken);
    }

    private static async Task<ImportSource> ResolveFolderAsync(IFileStore store, bool allowIncomplete, CancellationToken cancellationToken)
    {
        var names = await store.ListAsync("", cancellationToken);
        var summaries = names.Where(n => n == ExportManifest.SummaryName || n.EndsWith("/" + ExportManifest.SummaryName, StringComparison.Ordinal)).ToList();
        if (summaries.Count > 1)
        {
            throw new DdbCopyException(FailureKind.Usage,
                $"{store.Root} holds {summaries.Count} exports ({string.Join(", ", summaries)}): name the folder of one of them.");
        }

        if (summaries.Count == 1)
        {
            return await FromManifestAsync(store, summaries[0][..^ExportManifest.SummaryName.Length], cancellationToken);
        }

        var data = names.Where(n => !NotData.Contains(n.Split('/')[^1]) && !n.EndsWith(".checksum", StringComparison.Ordinal)
                                    && !n.EndsWith(".partial", StringComparison.Ordinal) && !InSections(n)).ToList();
        if (!allowIncomplete && UnfinishedExportMarker(names) is { } marker)
        {
            throw new DdbCopyException(FailureKind.Environment,
                $"{store.Root} is an export that did not finish (it has {marker} but no {ExportManifest.SummaryName}), so it holds only part of the table: export again, or add --allowIncompleteExport to import the {data.Count} data files it has.");
        }

        if (data.Count == 0)
        {
            throw new DdbCopyException(FailureKind.Environment, $"{store.Root} holds no files to import.");
        }

        return new ImportSource(store, data.Select(n => new InputFile(n)).ToList(), null, await ReadSchemaAsync(store, "", cancellationToken));
    }

    /// <param name="folder">The folder of the manifest, relative to the store, ending with '/' (or empty).</param>
    private static async Task<ImportSource> FromManifestAsync(IFileStore store, string folder, CancellationToken cancellationToken)
    {
        ManifestSummary summary;
        IReadOnlyList<ManifestFile> files;
        try
        {
            summary = ExportManifest.ReadSummary(await ReadTextAsync(store, folder + ExportManifest.SummaryName, cancellationToken));
            if (summary.OutputFormat != "DYNAMODB_JSON")
            {
                throw new DdbCopyException(FailureKind.Environment,
                    $"{store.Root}/{folder}{ExportManifest.SummaryName}: the export's format is {summary.OutputFormat}; ddbcopy reads DYNAMODB_JSON exports.");
            }

            if (summary.ExportType is { } type && type != "FULL_EXPORT")
            {
                throw new DdbCopyException(FailureKind.Environment,
                    $"{store.Root}/{folder}{ExportManifest.SummaryName}: the export is an {type}; ddbcopy imports full exports.");
            }

            files = ExportManifest.ReadFiles(await ReadTextAsync(store, folder + ExportManifest.FilesName, cancellationToken));
        }
        catch (FormatException ex)
        {
            throw new DdbCopyException(FailureKind.Environment, $"{store.Root}/{folder}: {ex.Message}.", ex);
        }

        // A manifest names data files by their S3 key (under whatever prefix the export had): they live in data/ beside it.
        var inputs = files.Select(f => new InputFile(folder + DataName(f.DataFileS3Key), f.ItemCount, f.Md5Checksum)).ToList();
        return new ImportSource(store, inputs, summary, await ReadSchemaAsync(store, folder, cancellationToken));
    }

    private static bool InSections(string name) =>
        name.StartsWith(ExportManifest.SectionsFolder + "/", StringComparison.Ordinal) || name.Contains("/" + ExportManifest.SectionsFolder + "/", StringComparison.Ordinal);

    /// <summary>
    /// Section <paramref name="section"/> of <paramref name="total"/>: every N-th file (in the listing's order), with a
    /// manifest's item count for those files only (checked as the whole export's is).
    /// </summary>
    public ImportSource Section(int section, int total)
    {
        var files = Files.Where((_, index) => index % total == section).ToList();
        var summary = Summary is null ? null
            : files.All(f => f.ItemCount is not null) ? Summary with { ItemCount = files.Sum(f => f.ItemCount!.Value) } : null;
        return this with { Files = files, Summary = summary };
    }

    /// <summary>What shows that a folder without a manifest was meant to be an export (ours, or AWS's), or null.</summary>
    private static string? UnfinishedExportMarker(IReadOnlyList<string> names)
    {
        static bool Named(string name, string wanted) => name == wanted || name.EndsWith("/" + wanted, StringComparison.Ordinal);
        return names.FirstOrDefault(n => Named(n, ExportManifest.SchemaName) || Named(n, "_started") || Named(n, ExportManifest.FilesName) || InSections(n))
            ?? names.FirstOrDefault(n => n.EndsWith(".partial", StringComparison.Ordinal));
    }

    private static string DataName(string key)
    {
        var at = key.LastIndexOf("/" + ExportManifest.DataFolder + "/", StringComparison.Ordinal);
        return at >= 0 ? key[(at + 1)..] : key.StartsWith(ExportManifest.DataFolder + "/", StringComparison.Ordinal) ? key : $"{ExportManifest.DataFolder}/{key.Split('/')[^1]}";
    }

    private static async Task<string?> ReadSchemaAsync(IFileStore store, string folder, CancellationToken cancellationToken) =>
        await store.ExistsAsync(folder + ExportManifest.SchemaName, cancellationToken)
            ? await ReadTextAsync(store, folder + ExportManifest.SchemaName, cancellationToken)
            : null;

    private static async Task<string> ReadTextAsync(IFileStore store, string name, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReadAsync(name, cancellationToken);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
