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

    public async Task WriteAllTextAsync(string name, string text, CancellationToken cancellationToken)
    {
        await using var file = Create(name);
        await file.Content.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await file.CommitAsync(cancellationToken);
    }

    public void Dispose()
    {
    }

    private string Full(string name) => Path.Combine(Root, name.Replace('/', Path.DirectorySeparatorChar));
}
