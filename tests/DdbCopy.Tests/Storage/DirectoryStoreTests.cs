using DdbCopy.Core.Storage;

namespace DdbCopy.Tests.Storage;

public sealed class DirectoryStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-store-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task WriteAllText_ByManyAtOnce_EveryOneSucceeds_AndTheFileIsOneOfThemWhole()
    {
        using var store = new DirectoryStore(_folder);
        var texts = Enumerable.Range(0, 16).Select(i => new string((char)('a' + i), 100_000)).ToList();

        // As two export sections that end together both write the whole export's manifest.
        await Task.WhenAll(texts.Select(text => Task.Run(() => store.WriteAllTextAsync("manifest-files.json", text, CancellationToken.None))));

        Assert.Contains(await File.ReadAllTextAsync(Path.Combine(_folder, "manifest-files.json")), texts);
        Assert.Equal(["manifest-files.json"], await store.ListAsync("", CancellationToken.None)); // no .partial left behind
    }

    [Fact]
    public async Task WriteAllText_ReplacesAFileThatIsThere()
    {
        using var store = new DirectoryStore(_folder);
        await store.WriteAllTextAsync("parts/summary.json", "first", CancellationToken.None);
        await store.WriteAllTextAsync("parts/summary.json", "second", CancellationToken.None);

        Assert.Equal("second", await File.ReadAllTextAsync(Path.Combine(_folder, "parts", "summary.json")));
    }
}
