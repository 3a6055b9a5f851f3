namespace DdbCopy.Core.Storage;

/// <summary>
/// A folder of files, local or under an S3 prefix, addressed by names relative to it (<c>data/0001.json.gz</c>).
/// Files are written through <see cref="IStagedFile"/>: nothing appears under its final name until it is committed.
/// </summary>
public interface IFileStore : IDisposable
{
    /// <summary>The folder, for messages (a path or an s3:// URL).</summary>
    string Root { get; }

    /// <summary>How a manifest refers to a file: its S3 key, or its path relative to the folder.</summary>
    string ManifestKey(string name);

    /// <summary>The names of the files under a sub-folder (or the whole folder for ""), relative to the folder.</summary>
    Task<IReadOnlyList<string>> ListAsync(string under, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string name, CancellationToken cancellationToken);

    /// <summary>Opens a file for reading, from its start, streaming (memory does not grow with its size).</summary>
    Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken);

    /// <summary>Starts a file that appears under <paramref name="name"/> only when committed.</summary>
    IStagedFile Create(string name);

    /// <summary>Deletes a file (one a stopped export left uncommitted); a file that is not there is no error.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);

    /// <summary>Writes a small file (a manifest) at once.</summary>
    Task WriteAllTextAsync(string name, string text, CancellationToken cancellationToken);
}

/// <summary>A file being written: a local temporary file until <see cref="CommitAsync"/> moves or uploads it.</summary>
public interface IStagedFile : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Where to write the file's bytes.</summary>
    Stream Content { get; }

    /// <summary>Publishes the file under its name. Disposing without committing discards it.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
