namespace DdbCopy.Core.Storage;

/// <summary>Where an export goes or an import comes from: a local path, or an S3 bucket and key prefix.</summary>
public abstract record StorageLocation
{
    /// <summary><c>s3://bucket/prefix</c> is S3, <c>mysql://user@host/db</c> a MySQL database; anything else is a local path.</summary>
    /// <returns>null and an error message when an s3:// value names no bucket, or a mysql:// value is not a usable URL.</returns>
    public static StorageLocation? TryParse(string value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(value);
        error = null;
        if (value.StartsWith("mysql://", StringComparison.OrdinalIgnoreCase))
        {
            return MySql.MySqlLocation.TryParseUrl(value, out error);
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
