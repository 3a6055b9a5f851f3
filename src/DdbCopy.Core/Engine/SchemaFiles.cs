using System.Text.Json;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Storage;

namespace DdbCopy.Core.Engine;

/// <summary>
/// --schemaFile: a table definition file (from <c>ddbcopy schema export</c>, or AWS's describe-table JSON), or an
/// export (a folder or an s3:// prefix) whose <c>ddbcopy-table.json</c> is the definition, or that file in S3. So
/// `ddbcopy finish` after an import in sections can be pointed at the export the sections read.
/// </summary>
public static class SchemaFiles
{
    /// <exception cref="DdbCopyException">The file cannot be read or is not a table definition (a usage error).</exception>
    public static async Task<TableDefinition> LoadAsync(string path, SideSpec? s3, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var remote = RemoteFiles.IsRemote(path);
        if (!remote && !Directory.Exists(path))
        {
            return TableDefinitionJson.Load(path);
        }

        var trimmed = path.TrimEnd('/');
        var (folder, name) = remote && trimmed.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            ? (trimmed[..trimmed.LastIndexOf('/')], trimmed[(trimmed.LastIndexOf('/') + 1)..])
            : (trimmed, ExportManifest.SchemaName);
        var location = StorageLocation.TryParse(folder, out var problem)
            ?? throw new DdbCopyException(FailureKind.Usage, $"--schemaFile {path}: {problem}.");
        string text;
        try
        {
            using var store = FileStores.Open(location, s3 ?? new SideSpec(new EndpointSpec(null, null, false), null));
            await using var stream = await store.OpenReadAsync(name, cancellationToken);
            using var reader = new StreamReader(stream);
            text = await reader.ReadToEndAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DdbCopyException))
        {
            throw new DdbCopyException(FailureKind.Usage, $"Cannot read the schema file {folder}/{name}: {ErrorText.Describe(ex)}", ex);
        }

        try
        {
            return TableDefinitionJson.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new DdbCopyException(FailureKind.Usage, $"Cannot read the schema file {folder}/{name}: {ex.Message}", ex);
        }
    }
}
