namespace DdbCopy.Core.Storage;

/// <summary>
/// A file written to a temporary path first (owner-only permissions: it holds table data), then handed to
/// <c>publish</c> (a rename, or an upload) on commit; whatever is left of it is deleted on dispose.
/// </summary>
internal sealed class LocalStagedFile : IStagedFile
{
    private readonly string _tempPath;
    private readonly Func<string, CancellationToken, Task> _publish;
    private readonly FileStream _stream;

    public LocalStagedFile(string name, string tempPath, Func<string, CancellationToken, Task> publish)
    {
        Name = name;
        _tempPath = tempPath;
        _publish = publish;
        Directory.CreateDirectory(Path.GetDirectoryName(tempPath)!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 1 << 16 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        _stream = new FileStream(tempPath, options);
    }

    public string Name { get; }

    public Stream Content => _stream;

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await _stream.DisposeAsync();
        await _publish(_tempPath, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        if (File.Exists(_tempPath))
        {
            File.Delete(_tempPath);
        }
    }
}
