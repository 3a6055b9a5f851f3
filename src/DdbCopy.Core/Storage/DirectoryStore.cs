using System.Text;

namespace DdbCopy.Core.Storage;

/// <summary>A local folder. A file being written is named <c>NAME.partial</c> until it is committed.</summary>
public sealed class DirectoryStore(string root) : IFileStore
{
    public string Root { get; } = Path.GetFullPath(root);

    public string ManifestKey(string name) => name;

    public Task<IReadOnlyList<string>> ListAsync(string under, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Root, under);
        IReadOnlyList<string> names = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/'))
                .Order(StringComparer.Ordinal).ToList()
            : [];
        return Task.FromResult(names);
    }

    public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) => Task.FromResult(File.Exists(Full(name)));

    public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new FileStream(Full(name), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true));

    public IStagedFile Create(string name)
    {
        var final = Full(name);
        return new LocalStagedFile(name, final + ".partial", (temp, _) =>
        {
            File.Move(temp, final, overwrite: false);
            return Task.CompletedTask;
        });
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        File.Delete(Full(name));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Replaces the file whole, as a PUT does in S3: written under a name of its own, then renamed over it (so two
    /// processes that write it at once, such as two export sections ending together with the same manifest, both succeed
    /// and a reader sees one whole file or the other).
    /// </summary>
    public async Task WriteAllTextAsync(string name, string text, CancellationToken cancellationToken)
    {
        var final = Full(name);
        await using var file = new LocalStagedFile(name, $"{final}.{Guid.NewGuid():N}.partial", (temp, _) =>
        {
            File.Move(temp, final, overwrite: true);
            return Task.CompletedTask;
        });
        await file.Content.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await file.CommitAsync(cancellationToken);
    }

    public void Dispose()
    {
    }

    private string Full(string name) => Path.Combine(Root, name.Replace('/', Path.DirectorySeparatorChar));
}
