using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using DdbCopy.Core.Aws;

namespace DdbCopy.Core.Storage;

/// <summary>
/// Small files kept in S3 by URL (<c>s3://bucket/key</c>): a job's checkpoints, which sections and their follower on
/// different machines read. A PUT replaces an object whole, so a reader sees the last checkpoint or the one before,
/// never part of one. S3 is reached as the command was told (--s3Endpoint, --s3Region, --s3Profile; see <see cref="Use"/>).
/// </summary>
public static class RemoteFiles
{
    private static readonly Lock Gate = new();
    private static SideSpec? _side;
    private static IAmazonS3? _client;

    /// <summary>True for an s3:// URL (anything else is a local path).</summary>
    public static bool IsRemote(string path) =>
        path is not null && string.Equals(StorageLocation.Scheme(path), "s3", StringComparison.OrdinalIgnoreCase);

    /// <summary>Where S3 is, and whose credentials: set by the command before a remote file is touched.</summary>
    public static void Use(SideSpec side)
    {
        ArgumentNullException.ThrowIfNull(side);
        lock (Gate)
        {
            if (_side != side)
            {
                _client?.Dispose();
                _client = null;
                _side = side;
            }
        }
    }

    /// <summary>The file's text, or null when there is none.</summary>
    /// <exception cref="DdbCopyException">S3 could not be read (permissions, no such bucket, unreachable).</exception>
    public static string? ReadAllText(string url)
    {
        var (client, where) = Open(url);
        return Call(url, "read", async () =>
        {
            try
            {
                using var response = await client.GetObjectAsync(where.Bucket, where.Prefix);
                using var reader = new StreamReader(response.ResponseStream);
                return await reader.ReadToEndAsync();
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode != "NoSuchBucket")
            {
                return null;
            }
        });
    }

    /// <summary>Replaces the file whole.</summary>
    /// <exception cref="DdbCopyException">It could not be written.</exception>
    public static void WriteAllText(string url, string text)
    {
        var (client, where) = Open(url);
        Call(url, "write", async () =>
        {
            await client.PutObjectAsync(new PutObjectRequest { BucketName = where.Bucket, Key = where.Prefix, ContentBody = text, ContentType = "application/json" });
            return true;
        });
    }

    /// <summary>Deletes the file; one that is not there is no error.</summary>
    public static void Delete(string url)
    {
        var (client, where) = Open(url);
        Call(url, "delete", async () =>
        {
            await client.DeleteObjectAsync(where.Bucket, where.Prefix);
            return true;
        });
    }

    private static (IAmazonS3 Client, S3Location Where) Open(string url)
    {
        if (StorageLocation.TryParse(url, out var error) is not S3Location { Prefix.Length: > 0 } where)
        {
            throw new DdbCopyException(FailureKind.Usage, $"'{url}' is not an S3 object: use s3://bucket/key ({error ?? "no key"}).");
        }

        lock (Gate)
        {
            _side ??= new SideSpec(EndpointSpec.TryParse(null, null, out _)!, null);
            return (_client ??= FileStores.CreateClient(_side), where);
        }
    }

    /// <summary>A call made synchronously (checkpoints are saved from synchronous code), its failure a one-line message.</summary>
    private static T Call<T>(string url, string what, Func<Task<T>> call)
    {
        try
        {
            return Task.Run(call).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException)
        {
            throw new DdbCopyException(FailureKind.Environment, $"Cannot {what} {url}: {ErrorText.Describe(ex)}", ex);
        }
    }
}
