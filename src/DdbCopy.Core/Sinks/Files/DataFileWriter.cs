using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Storage;

namespace DdbCopy.Core.Sinks.Files;

/// <summary>
/// One data file of an export being written: <c>{"Item":{...}}</c> lines, compressed, with the MD5 of the compressed
/// bytes computed on the way (for manifest-files.json). Nothing is published until <see cref="CommitAsync"/>.
/// </summary>
internal sealed class DataFileWriter : IAsyncDisposable
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly IFileStore _store;
    private readonly IStagedFile _file;
    private readonly MD5 _md5 = MD5.Create();
    private readonly CryptoStream _hashing;
    private readonly Stream _compressing;
    private readonly Utf8JsonWriter _json;

    public DataFileWriter(IFileStore store, string name, DataCompression compression)
    {
        _store = store;
        _file = store.Create(name);
        _hashing = new CryptoStream(_file.Content, _md5, CryptoStreamMode.Write, leaveOpen: true);
        _compressing = DataCompressions.Compress(_hashing, compression);
        _json = new Utf8JsonWriter(_compressing, JsonOptions);
    }

    public string Name => _file.Name;

    public long Items { get; private set; }

    /// <summary>Bytes of JSON written so far, before compression.</summary>
    public long UncompressedBytes { get; private set; }

    public async Task WriteAsync(IEnumerable<Dictionary<string, AttributeValue>> items, CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            DynamoDbJson.WriteItemLine(_json, item);
            await _json.FlushAsync(cancellationToken);
            UncompressedBytes += _json.BytesCommitted + 1;
            _json.Reset();
            await _compressing.WriteAsync(NewLine, cancellationToken);
            Items++;
        }
    }

    /// <summary>Finishes the compression, publishes the file and returns its manifest entry.</summary>
    public async Task<ManifestFile> CommitAsync(CancellationToken cancellationToken)
    {
        await _json.DisposeAsync();
        await _compressing.DisposeAsync();
        await _hashing.FlushFinalBlockAsync(cancellationToken);
        var md5 = Convert.ToBase64String(_md5.Hash!);
        await _file.CommitAsync(cancellationToken);
        return new ManifestFile
        {
            ItemCount = Items,
            Md5Checksum = md5,
            DataFileS3Key = _store.ManifestKey(Name),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync();
        try
        {
            await _compressing.DisposeAsync();
            await _hashing.DisposeAsync();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // Discarding an unfinished file: its bytes no longer matter.
        }

        _md5.Dispose();
        await _file.DisposeAsync();
    }
}
