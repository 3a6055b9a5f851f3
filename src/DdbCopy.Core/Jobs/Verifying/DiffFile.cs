using System.Text;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Storage;

namespace DdbCopy.Core.Jobs.Verifying;

/// <summary>
/// The keys a verify found differing, one JSON line each: <c>{"Key":{"pk":{"S":"a"}},"Difference":"missing"}</c>
/// (missing, different or extra). Created on the first difference only, owner-only (it holds key values); an
/// existing file is replaced.
/// </summary>
public sealed class DiffFile(string path) : IDisposable
{
    private const string What = "the diff file";
    private StreamWriter? _writer;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public long Count { get; private set; }

    public static string DefaultPath(string source, string destination, DateTimeOffset now) =>
        $"ddbcopy-verify-{Engine.Checkpoints.CheckpointFile.NameOf(source)}-vs-{destination}-{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.jsonl";

    /// <summary>Checks the file can be written, and removes an earlier run's, so a file left behind never passes for this run's.</summary>
    public void CheckWritable()
    {
        OwnerOnlyFile.CheckWritable(Path, What);
        File.Delete(Path);
    }

    public void Write(Difference difference, byte[] keyJson)
    {
        ArgumentNullException.ThrowIfNull(keyJson);
        try
        {
            _writer ??= OwnerOnlyFile.OpenAppend(Path, What);

            _writer.Write("{\"Key\":");
            _writer.Write(Encoding.UTF8.GetString(keyJson));
            _writer.Write($",\"Difference\":\"{Name(difference)}\"}}\n");
            Count++;
        }
        catch (IOException ex)
        {
            throw new DdbCopyException(FailureKind.CopyFailed, $"Cannot write the diff file {Path}: {ex.Message}", ex);
        }
    }

    public static string Name(Difference difference) => difference.ToString().ToLowerInvariant();

    /// <summary>The keys of the given kinds of difference in a diff file, in one pass over it.</summary>
    public static IEnumerable<Dictionary<string, AttributeValue>> ReadKeys(string path, params Difference[] differences)
    {
        var endings = differences.Select(d => $"\"Difference\":\"{Name(d)}\"}}").ToList();
        foreach (var line in File.ReadLines(path))
        {
            if (!endings.Any(e => line.EndsWith(e, StringComparison.Ordinal)))
            {
                continue;
            }

            using var document = System.Text.Json.JsonDocument.Parse(line);
            yield return DynamoDbJson.ReadItem(document.RootElement.GetProperty("Key"), "Key");
        }
    }

    public void Dispose() => _writer?.Dispose();
}
