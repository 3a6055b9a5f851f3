using System.Text;
using System.Text.Json;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Formats;

namespace DdbCopy.Core.Engine.Checkpoints;

/// <summary>
/// Reads and writes checkpoint files. A save writes a temporary file beside the checkpoint (owner-only: it holds key
/// values) and renames it over the old one, so a crash leaves either the old checkpoint or the new one, never half.
/// </summary>
public static partial class CheckpointFile
{
    private const string What = "the checkpoint file";

    /// <summary>
    /// The default checkpoint's file name of a job: <c>ddbcopy-KIND-SOURCE-to-DESTINATION.checkpoint.json</c>, with
    /// <c>-section-I-of-N</c> before the extension when the job is split into sections (<c>-section-follow-of-N</c>
    /// for the follower, whose section is N).
    /// </summary>
    public static string DefaultName(string kind, string source, string destination, int section = 0, int totalSections = 1)
    {
        var sections = totalSections > 1 ? $"-section-{SectionName(section, totalSections)}-of-{totalSections}" : "";
        return $"ddbcopy-{kind}-{Safe(source)}-to-{Safe(destination)}{sections}.checkpoint.json";
    }

    /// <summary>A section's name in paths: its number, or "follow" for a sectioned copy's follower (section N of N).</summary>
    public static string SectionName(int section, int totalSections) =>
        section == totalSections && totalSections > 1 ? "follow" : section.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A path given for every section (a checkpoint, a dead-letter file) with <c>{section}</c> replaced by this section's name.</summary>
    public static string ForSection(string template, int section, int totalSections)
    {
        ArgumentNullException.ThrowIfNull(template);
        return template.Replace("{section}", SectionName(section, totalSections), StringComparison.Ordinal);
    }

    /// <summary>
    /// The default checkpoint of a job: <see cref="DefaultName"/> in the <see cref="StateFolder"/>; but when only the
    /// working directory holds a checkpoint of that name (written by a version that kept them there), that one, so a
    /// <c>--resume</c> still finds it.
    /// </summary>
    public static string DefaultPath(string kind, string source, string destination, int section = 0, int totalSections = 1) =>
        DefaultPathIn(StateFolder.Current, Directory.GetCurrentDirectory(), kind, source, destination, section, totalSections);

    /// <summary><see cref="DefaultPath"/> with the state folder and the working directory given.</summary>
    public static string DefaultPathIn(string stateFolder, string workingDirectory, string kind, string source, string destination, int section, int totalSections)
    {
        var name = DefaultName(kind, source, destination, section, totalSections);
        var state = Path.Combine(stateFolder, name);
        var earlier = Path.Combine(workingDirectory, name);
        return !File.Exists(state) && File.Exists(earlier) ? earlier : state;
    }

    /// <summary>The follow spool that goes with a checkpoint when none is named: its path with ".spool" for ".json".</summary>
    public static string SpoolBeside(string checkpointPath) =>
        Storage.RemoteFiles.IsRemote(checkpointPath)
            ? Path.Combine(StateFolder.Current, Safe(checkpointPath["s3://".Length..].Replace('/', '-')) + ".spool") // a spool is local: in the state folder
            : (checkpointPath.EndsWith(".json", StringComparison.Ordinal) ? checkpointPath[..^".json".Length] : checkpointPath) + ".spool";

    /// <summary>A checkpoint's full name: an S3 URL as it is, a local path made absolute.</summary>
    public static string FullName(string path) => Storage.RemoteFiles.IsRemote(path) ? path : Path.GetFullPath(path);

    /// <summary>The last part of a path or URL (an export folder's name), for <see cref="DefaultPath"/>.</summary>
    public static string NameOf(string location) =>
        location.TrimEnd('/', '\\').Split('/', '\\').LastOrDefault(p => p.Length > 0) ?? "root";

    /// <summary>Checks before the first write that the checkpoint can be written (see <see cref="Storage.OwnerOnlyFile"/>).</summary>
    /// <remarks>The state folder is created (0700) when a checkpoint is to go there and it does not exist yet.</remarks>
    public static void CheckWritable(string path)
    {
        if (Storage.RemoteFiles.IsRemote(path))
        {
            // Read (a resume needs it) and write beside it: the permissions a job needs, checked before it changes anything.
            _ = Storage.RemoteFiles.ReadAllText(path);
            Storage.RemoteFiles.WriteAllText(path + ".write-test", "{}");
            Storage.RemoteFiles.Delete(path + ".write-test");
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder) && folder == Path.GetFullPath(StateFolder.Current))
        {
            Storage.OwnerOnlyFile.EnsureFolder(folder, "the state folder");
        }

        Storage.OwnerOnlyFile.CheckWritable(path, What);
    }

    /// <summary>Reads a checkpoint, or null when there is none at <paramref name="path"/>.</summary>
    /// <exception cref="DdbCopyException">The file is not a checkpoint this program can read; the message says why.</exception>
    public static Checkpoint? Load(string path)
    {
        if (Storage.RemoteFiles.IsRemote(path))
        {
            return Storage.RemoteFiles.ReadAllText(path) is { } remote ? Parse(remote, path) : null;
        }

        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(full, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DdbCopyException(FailureKind.Environment, $"Cannot read the checkpoint {full}: {ex.Message}", ex);
        }

        return Parse(text, full);
    }

    /// <exception cref="DdbCopyException">Not a checkpoint, or of a format version this program cannot read.</exception>
    public static Checkpoint Parse(string text, string where)
    {
        try
        {
            using (var document = JsonDocument.Parse(text))
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object
                    || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String
                    || format.GetString() != Checkpoint.FormatName)
                {
                    throw NotReadable(where, "it is not a ddbcopy checkpoint");
                }

                if (!root.TryGetProperty("version", out var version) || !version.TryGetInt32(out var number))
                {
                    throw NotReadable(where, "it has no format version");
                }

                if (number != Checkpoint.CurrentVersion)
                {
                    throw NotReadable(where,
                        $"it is of checkpoint format version {number}, and this ddbcopy reads version {Checkpoint.CurrentVersion} only");
                }
            }

            var checkpoint = JsonSerializer.Deserialize(text, CheckpointJsonContext.Default.Checkpoint)
                ?? throw NotReadable(where, "it is empty");
            foreach (var lane in checkpoint.Lanes)
            {
                _ = ToPosition(lane); // A damaged key is reported now, not when the lane starts.
            }

            return checkpoint;
        }
        catch (JsonException ex)
        {
            throw NotReadable(where, $"it is not valid JSON ({ex.Message.Split('.')[0]})");
        }
        catch (FormatException ex)
        {
            throw NotReadable(where, ex.Message);
        }
    }

    public static string Serialize(Checkpoint checkpoint) =>
        JsonSerializer.Serialize(checkpoint, CheckpointJsonContext.Default.Checkpoint) + "\n";

    /// <summary>Writes the checkpoint atomically (temporary file, then rename; an S3 object is replaced whole).</summary>
    /// <exception cref="DdbCopyException">It could not be written.</exception>
    public static void Save(string path, Checkpoint checkpoint)
    {
        if (Storage.RemoteFiles.IsRemote(path))
        {
            Storage.RemoteFiles.WriteAllText(path, Serialize(checkpoint));
            return;
        }

        var full = Path.GetFullPath(path);
        var temporary = full + ".tmp";
        try
        {
            File.Delete(temporary);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Encoding.UTF8.GetBytes(Serialize(checkpoint)));
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DdbCopyException(FailureKind.CopyFailed, $"Cannot write the checkpoint {full}: {ex.Message}", ex);
        }
    }

    public static LaneCheckpoint FromPosition(LanePosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        JsonElement? key = null;
        if (position.LastKey is { } lastKey)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                DynamoDbJson.WriteItem(writer, lastKey);
            }

            using var document = JsonDocument.Parse(buffer.ToArray());
            key = document.RootElement.Clone();
        }

        return new LaneCheckpoint
        {
            Lane = position.Lane,
            Done = position.Done,
            LastKey = key,
            File = position.File,
            Line = position.File is null ? null : position.Line,
        };
    }

    /// <exception cref="FormatException">The lane's key is not DynamoDB JSON.</exception>
    public static LanePosition ToPosition(LaneCheckpoint lane)
    {
        ArgumentNullException.ThrowIfNull(lane);
        var key = lane.LastKey is { ValueKind: JsonValueKind.Object } element ? DynamoDbJson.ReadItem(element, $"lanes[{lane.Lane}].lastKey") : null;
        return new LanePosition(lane.Lane, lane.Done, key, lane.File, lane.Line ?? 0);
    }

    private static DdbCopyException NotReadable(string where, string why) =>
        new(FailureKind.Usage, $"Cannot resume from {where}: {why}. Delete it (or pass another --checkpointFile) to start the job from the beginning.");

    private static string Safe(string name) => SafeName().Replace(name, "_");

    [System.Text.RegularExpressions.GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial System.Text.RegularExpressions.Regex SafeName();
}
