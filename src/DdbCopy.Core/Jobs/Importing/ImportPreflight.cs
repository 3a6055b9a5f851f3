using DdbCopy.Core.Aws;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Sources.Files;
using DdbCopy.Core.Sources;
using DdbCopy.Core.Storage;
using DdbCopy.Core.Engine;

namespace DdbCopy.Core.Jobs.Importing;

/// <summary>The checks of an import that need its input but write nothing: the files it writes, and the data's key.</summary>
internal static class ImportPreflight
{
    /// <summary>How many records at the start of the input are read to check that the data has the destination's key.</summary>
    public const int KeySampleSize = 100;

    /// <summary>
    /// The dead-letter and reject files can be written, are two different files, and are not part of the input: never
    /// an input file, nor inside a folder being imported (a later import of that folder would read them as data).
    /// </summary>
    public static void CheckOutputs(ImportSource source, StorageLocation from, DeadLetterFile deadLetters, RejectFile rejects)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(deadLetters);
        ArgumentNullException.ThrowIfNull(rejects);
        if (SamePath(deadLetters.Path, rejects.Path))
        {
            throw new DdbCopyException(FailureKind.Usage, $"--deadLetterFile and --rejectFile name the same file ({deadLetters.Path}): give them different names.");
        }

        foreach (var (path, flag) in new[] { (deadLetters.Path, "--deadLetterFile"), (rejects.Path, "--rejectFile") })
        {
            if (from is LocalLocation { Path: var input } && IsInput(source, input, path))
            {
                throw new DdbCopyException(FailureKind.Usage,
                    $"{flag} {path} is part of the input ({input}): ddbcopy never writes into what it imports; name a file elsewhere.");
            }
        }

        deadLetters.CheckWritable();
        rejects.CheckWritable();
    }

    /// <summary>
    /// Reads the first <see cref="KeySampleSize"/> records and refuses the import when not one of the items among
    /// them has the destination's key (names and types): the data is for another table, and every record would be
    /// rejected. Records that are not items at all are left to the import to reject.
    /// </summary>
    public static async Task CheckKeysAsync(ImportSource source, Func<InputFile, IItemReader> readerFor, IReadOnlyList<KeyAttribute> key,
        string table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(readerFor);
        var read = 0;
        string? firstProblem = null;
        try
        {
            foreach (var file in source.Files)
            {
                using var text = await InputStreams.OpenTextAsync(source.Store, file.Name, cancellationToken);
                await foreach (var record in readerFor(file).ReadAsync(text, cancellationToken))
                {
                    if (record.Item is null)
                    {
                        continue;
                    }

                    if (ItemKeyCheck.Problem(record.Item, key) is not { } problem)
                    {
                        return;
                    }

                    firstProblem ??= $"{source.PathOf(file)}:{record.Line}: {problem}";
                    if (++read == KeySampleSize)
                    {
                        break;
                    }
                }

                if (read == KeySampleSize)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DdbCopyException))
        {
            // A file that cannot be read is reported by the import itself, with the file's name, when it gets there.
            if (firstProblem is null)
            {
                return;
            }
        }

        if (firstProblem is not null)
        {
            throw NoKey(table, key, read, firstProblem);
        }
    }

    /// <summary>
    /// The same refusal for the first items a database gave (<paramref name="sample"/>, at most <see cref="KeySampleSize"/>):
    /// when not one of them has the destination's key, every row would be rejected one by one.
    /// </summary>
    public static void CheckSampledKeys(IReadOnlyList<Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>> sample, string where,
        IReadOnlyList<KeyAttribute> key, string table)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.Count > 0 && sample.All(item => ItemKeyCheck.Problem(item, key) is not null))
        {
            throw NoKey(table, key, sample.Count, $"{where}: {ItemKeyCheck.Problem(sample[0], key)}");
        }
    }

    private static DdbCopyException NoKey(string table, IReadOnlyList<KeyAttribute> key, int read, string firstProblem) => new(FailureKind.Environment,
        $"The data does not have the key of the table '{table}' [{string.Join(", ", key)}]: none of its first {read} items do ({firstProblem}). Nothing was written.");

    private static bool IsInput(ImportSource source, string input, string path)
    {
        if (Directory.Exists(input))
        {
            var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(input)) + Path.DirectorySeparatorChar;
            return Path.GetFullPath(path).StartsWith(folder, StringComparison.Ordinal) || SamePath(path, input);
        }

        return source.Files.Any(f => SamePath(path, source.PathOf(f)));
    }

    /// <summary>The same file, also when one name reaches it through a symbolic link.</summary>
    private static bool SamePath(string a, string b) => string.Equals(RealPath(a), RealPath(b), StringComparison.Ordinal);

    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        }
        catch (IOException)
        {
            return full;
        }
    }
}
