using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DdbCopy.Core.Formats;

/// <summary>
/// The manifests of DynamoDB's native export to S3, which ddbcopy writes and reads: <c>manifest-summary.json</c> (one
/// object) and <c>manifest-files.json</c> (one JSON object per line, one line per data file).
/// </summary>
public static class ExportManifest
{
    /// <summary>Where the sections of an export in sections keep their parts of the manifest until it is whole (not data).</summary>
    public const string SectionsFolder = "ddbcopy-sections";

    public const string SummaryName = "manifest-summary.json";
    public const string FilesName = "manifest-files.json";
    public const string SchemaName = "ddbcopy-table.json";
    public const string DataFolder = "data";

    // Source-generated (no reflection): the summary indented, the file lines one object per line.
    private static readonly ManifestJsonContext Json = ManifestJsonContext.Default;
    private static readonly ManifestJsonContext Line = new(new JsonSerializerOptions(ManifestJsonContext.Default.Options) { WriteIndented = false });

    public static string WriteSummary(ManifestSummary summary) => JsonSerializer.Serialize(summary, Json.ManifestSummary) + "\n";

    public static string WriteFiles(IEnumerable<ManifestFile> files)
    {
        var text = new StringBuilder();
        foreach (var file in files)
        {
            text.Append(JsonSerializer.Serialize(file, Line.ManifestFile)).Append('\n');
        }

        return text.ToString();
    }

    /// <exception cref="FormatException">Not a manifest summary.</exception>
    public static ManifestSummary ReadSummary(string text)
    {
        try
        {
            return JsonSerializer.Deserialize(text, Json.ManifestSummary) ?? throw new FormatException("the manifest summary is empty");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the manifest summary is not valid JSON ({ex.Message.Split('.')[0]})", ex);
        }
    }

    /// <exception cref="FormatException">A line is not a file entry; the message gives its number.</exception>
    public static IReadOnlyList<ManifestFile> ReadFiles(string text)
    {
        var files = new List<ManifestFile>();
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                var file = JsonSerializer.Deserialize(line, Json.ManifestFile);
                if (file?.DataFileS3Key is not { Length: > 0 })
                {
                    throw new FormatException($"line {number} of the file manifest has no dataFileS3Key");
                }

                files.Add(file);
            }
            catch (JsonException ex)
            {
                throw new FormatException($"line {number} of the file manifest is not valid JSON ({ex.Message.Split('.')[0]})", ex);
            }
        }

        return files;
    }
}

/// <summary>manifest-summary.json. Fields ddbcopy cannot know for a file export (ARNs of an AWS export job) are left out.</summary>
public sealed record ManifestSummary
{
    public string Version { get; init; } = "2020-06-30";
    public string? ExportArn { get; init; }
    /// <summary>UTC times, written as AWS writes them (<c>2020-11-04T07:28:34.028Z</c>).</summary>
    public DateTime? StartTime { get; init; }
    public DateTime? EndTime { get; init; }
    public string? TableArn { get; init; }
    public string? TableId { get; init; }
    public DateTime? ExportTime { get; init; }
    public string? S3Bucket { get; init; }
    public string? S3Prefix { get; init; }
    public string? ManifestFilesS3Key { get; init; }
    public long? BilledSizeBytes { get; init; }
    public long ItemCount { get; init; }
    public string OutputFormat { get; init; } = "DYNAMODB_JSON";
    public string? ExportType { get; init; } = "FULL_EXPORT";

    /// <summary>ddbcopy's own: the compression of the data files (AWS exports are gzip).</summary>
    public string? Compression { get; init; }

    /// <summary>A time as the manifest holds it: UTC, to the millisecond.</summary>
    public static DateTime Time(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
    }
}

/// <summary>One line of manifest-files.json: a data file, its item count and the base64 MD5 of its bytes.</summary>
public sealed record ManifestFile
{
    public long ItemCount { get; init; }
    public string? Md5Checksum { get; init; }
    public string? Etag { get; init; }
    public string DataFileS3Key { get; init; } = "";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(ManifestSummary))]
[JsonSerializable(typeof(ManifestFile))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
