namespace DdbCopy.Core.Storage;

/// <summary>Where an export goes or an import comes from: a local path, or an S3 bucket and key prefix.</summary>
public abstract record StorageLocation
{
    /// <summary>
    /// <c>s3://bucket/prefix</c> is S3; anything else without a <c>scheme://</c> is a local path. Other schemes (a
    /// database a source reads, see <c>Jobs.Importing.ImportFrom</c>) are no place for files.
    /// </summary>
    /// <returns>null and an error message when an s3:// value names no bucket, or the value has another scheme.</returns>
    public static StorageLocation? TryParse(string value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(value);
        error = null;
        if (Scheme(value) is { } scheme && !scheme.Equals("s3", StringComparison.OrdinalIgnoreCase))
        {
            // Only the scheme is repeated: the rest may hold a user and a password.
            error = $"{scheme}://... is not a folder or an s3://bucket/prefix" +
                (scheme.Equals("mysql", StringComparison.OrdinalIgnoreCase) ? ": only `ddbcopy import --from` reads a MySQL database" : "");
            return null;
        }

        if (!value.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            return new LocalLocation(Path.GetFullPath(value));
        }

        var rest = value["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..].Trim('/');
        if (bucket.Length == 0)
        {
            error = $"'{value}' names no bucket: use s3://bucket/prefix";
            return null;
        }

        return new S3Location(bucket, prefix);
    }

    /// <summary>The URL scheme a value starts with (<c>s3</c> of <c>s3://b/p</c>), or null for a path.</summary>
    public static string? Scheme(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var end = value.IndexOf("://", StringComparison.Ordinal);
        if (end < 1 || !char.IsAsciiLetter(value[0]))
        {
            return null;
        }

        var scheme = value[..end];
        return scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.') ? scheme : null;
    }
}

public sealed record LocalLocation(string Path) : StorageLocation
{
    public override string ToString() => Path;
}

/// <param name="Prefix">The key prefix without a trailing slash; empty for the bucket's root.</param>
public sealed record S3Location(string Bucket, string Prefix) : StorageLocation
{
    /// <summary>The full key of a name under the prefix.</summary>
    public string Key(string name) => Prefix.Length == 0 ? name : $"{Prefix}/{name}";

    public override string ToString() => Prefix.Length == 0 ? $"s3://{Bucket}" : $"s3://{Bucket}/{Prefix}";
}
