using System.Globalization;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Storage;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Jobs.Exporting;

/// <summary>
/// An export in sections (--totalSections N --section i): every section writes its data files under the one export
/// prefix (named <c>data/s{i}-…</c>) and, once its share is complete, its own part of the manifest in
/// <c>ddbcopy-sections/</c> (its files, then its summary, which marks the part complete). When every part is there, the
/// manifest of the whole export (manifest-files.json, then manifest-summary.json) is written: by the last section to
/// end, or by <c>ddbcopy finish --export</c>. Until then the prefix is an export that did not finish, and importers
/// refuse it.
/// </summary>
public static class ExportSections
{
    public const string Folder = ExportManifest.SectionsFolder;

    /// <summary>The prefix of a section's data files' names (after the data folder).</summary>
    public static string FilePrefix(int section) => string.Create(CultureInfo.InvariantCulture, $"s{section}-");

    private static string PartName(int section, int total, string what) =>
        string.Create(CultureInfo.InvariantCulture, $"{Folder}/section-{section}-of-{total}.{what}.json");

    /// <summary>Writes a complete section's part: its files first, then its summary.</summary>
    public static async Task WritePartAsync(IFileStore store, int section, int total, IReadOnlyList<ManifestFile> files, ManifestSummary summary,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await ExportFiles.WriteAsync(store, PartName(section, total, "files"), ExportManifest.WriteFiles(files), cancellationToken);
        await ExportFiles.WriteAsync(store, PartName(section, total, "summary"), ExportManifest.WriteSummary(summary), cancellationToken);
    }

    /// <summary>
    /// Writes the whole export's manifest when every section's part is there. Returns null when it wrote it, else what
    /// is missing (for the message).
    /// </summary>
    /// <exception cref="DdbCopyException">The parts are of different exports, or cannot be read.</exception>
    public static async Task<string?> TryCompleteAsync(IFileStore store, S3Location? s3, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var names = await store.ListAsync(Folder, cancellationToken);
        var parts = new Dictionary<int, (int Total, string Name)>();
        foreach (var name in names.Where(n => n.EndsWith(".summary.json", StringComparison.Ordinal)))
        {
            var fields = name[(name.LastIndexOf('/') + 1)..].Split('-', '.');
            if (fields.Length >= 4 && int.TryParse(fields[1], CultureInfo.InvariantCulture, out var section) && int.TryParse(fields[3], CultureInfo.InvariantCulture, out var total))
            {
                parts[section] = (total, name);
            }
        }

        if (parts.Count == 0)
        {
            return $"no section has finished (nothing in {store.Root}/{Folder}/)";
        }

        var totals = parts.Values.Select(p => p.Total).Distinct().ToList();
        if (totals.Count > 1)
        {
            throw new DdbCopyException(FailureKind.Environment,
                $"{store.Root}/{Folder}/ holds the parts of exports in {string.Join(" and ", totals)} sections: one export prefix holds one sectioned export.");
        }

        var missing = Enumerable.Range(0, totals[0]).Where(i => !parts.ContainsKey(i)).ToList();
        if (missing.Count > 0)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"section{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)} of {totals[0]} ha{(missing.Count > 1 ? "ve" : "s")} not finished");
        }

        var files = new List<ManifestFile>();
        var summaries = new List<ManifestSummary>();
        foreach (var (section, (total, name)) in parts.OrderBy(p => p.Key))
        {
            summaries.Add(ExportManifest.ReadSummary(await ExportFiles.ReadAsync(store, name, cancellationToken)));
            files.AddRange(ExportManifest.ReadFiles(await ExportFiles.ReadAsync(store, PartName(section, total, "files"), cancellationToken)));
        }

        files.Sort((a, b) => string.CompareOrdinal(a.DataFileS3Key, b.DataFileS3Key));
        await ExportFiles.WriteManifestAsync(store, files, new ManifestSummary
        {
            StartTime = summaries.Min(s => s.StartTime),
            EndTime = summaries.Max(s => s.EndTime),
            ExportTime = summaries.Min(s => s.ExportTime),
            ItemCount = summaries.Sum(s => s.ItemCount),
            Compression = summaries[0].Compression,
        }, s3, logger, cancellationToken);
        return null;
    }

    /// <summary>`ddbcopy finish --export`: the whole export's manifest, once every section ended; what it did, as lines.</summary>
    /// <exception cref="DdbCopyException">A section has not finished, or the prefix holds no sectioned export.</exception>
    public static async Task<IReadOnlyList<string>> FinishAsync(IFileStore store, S3Location? s3, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (await store.ExistsAsync(ExportManifest.SummaryName, cancellationToken))
        {
            var summary = ExportManifest.ReadSummary(await ExportFiles.ReadAsync(store, ExportManifest.SummaryName, cancellationToken));
            return [string.Create(CultureInfo.InvariantCulture,
                $"{store.Root} is already one whole export ({summary.ItemCount} items; {ExportManifest.SummaryName} written by the last section to end): nothing to do.")];
        }

        if (await TryCompleteAsync(store, s3, logger, cancellationToken) is { } missing)
        {
            throw new DdbCopyException(FailureKind.Environment,
                $"{store.Root} is not whole yet: {missing}. Run (or resume) the missing sections, then finish again.");
        }

        var written = ExportManifest.ReadSummary(await ExportFiles.ReadAsync(store, ExportManifest.SummaryName, cancellationToken));
        return [string.Create(CultureInfo.InvariantCulture,
            $"Wrote the manifest of the whole export: {store.Root} holds {written.ItemCount} items in {ExportManifest.FilesName}'s data files.")];
    }
}
