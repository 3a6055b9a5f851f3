using Amazon.S3;
using DdbCopy.Core.Aws;

namespace DdbCopy.Core.Storage;

/// <summary>Opens the store of a location: a local folder, or an S3 prefix through a client built like the DynamoDB ones.</summary>
public static class FileStores
{
    /// <summary>The default size of a multipart upload's parts (and the size from which uploads are multipart).</summary>
    public const long DefaultPartSizeBytes = 16L << 20;

    public static IFileStore Open(StorageLocation location, SideSpec s3, long partSizeBytes = DefaultPartSizeBytes)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(s3);
        return location switch
        {
            LocalLocation local => new DirectoryStore(local.Path),
            S3Location bucket => new S3Store(CreateClient(s3), bucket, partSizeBytes),
            _ => throw new ArgumentException($"Unknown location {location}", nameof(location)),
        };
    }

    internal static AmazonS3Client CreateClient(SideSpec s3)
    {
        // A custom endpoint is an S3-compatible server (or a VPC endpoint): address buckets by path there.
        var config = new AmazonS3Config { ForcePathStyle = s3.Endpoint.ServiceUrl is not null, Timeout = TimeSpan.FromMinutes(5) };
        var credentials = DynamoDbClientFactory.Configure(config, s3, "s3");
        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }
}
