using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;

namespace DdbCopy.Core.Storage;

/// <summary>
/// Files under an S3 prefix. A file is written to a local temporary file and uploaded on commit by the SDK's
/// TransferUtility (multipart, in parts of <c>partSizeBytes</c>, once it is larger than one part); reads stream.
/// </summary>
public sealed class S3Store(IAmazonS3 client, S3Location location, long partSizeBytes) : IFileStore
{
    private readonly string _tempFolder = Path.Combine(Path.GetTempPath(), $"ddbcopy-{Guid.NewGuid():N}");
    private readonly TransferUtility _transfer = new(client, new TransferUtilityConfig { MinSizeBeforePartUpload = partSizeBytes });

    public string Root => location.ToString();

    public string ManifestKey(string name) => location.Key(name);

    public async Task<IReadOnlyList<string>> ListAsync(string under, CancellationToken cancellationToken)
    {
        var prefix = location.Key(under).TrimEnd('/');
        prefix = prefix.Length == 0 ? "" : prefix + "/";
        var strip = location.Prefix.Length == 0 ? 0 : location.Prefix.Length + 1;
        var names = new List<string>();
        var request = new ListObjectsV2Request { BucketName = location.Bucket, Prefix = prefix };
        do
        {
            var response = await client.ListObjectsV2Async(request, cancellationToken);
            names.AddRange((response.S3Objects ?? []).Select(o => o.Key[strip..]));
            request.ContinuationToken = response.IsTruncated == true ? response.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await client.GetObjectMetadataAsync(location.Bucket, location.Key(name), cancellationToken);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        var response = await client.GetObjectAsync(location.Bucket, location.Key(name), cancellationToken);
        return response.ResponseStream;
    }

    public IStagedFile Create(string name) =>
        new LocalStagedFile(name, Path.Combine(_tempFolder, $"{Guid.NewGuid():N}.part"), async (temp, cancellationToken) =>
            await _transfer.UploadAsync(new TransferUtilityUploadRequest
            {
                BucketName = location.Bucket,
                Key = location.Key(name),
                FilePath = temp,
                PartSize = partSizeBytes,
            }, cancellationToken));

    public async Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        await client.DeleteObjectAsync(location.Bucket, location.Key(name), cancellationToken);

    public async Task WriteAllTextAsync(string name, string text, CancellationToken cancellationToken) =>
        await client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = location.Bucket,
            Key = location.Key(name),
            ContentBody = text,
            ContentType = "application/json",
        }, cancellationToken);

    public void Dispose()
    {
        _transfer.Dispose();
        if (Directory.Exists(_tempFolder))
        {
            Directory.Delete(_tempFolder, recursive: true);
        }
    }
}
