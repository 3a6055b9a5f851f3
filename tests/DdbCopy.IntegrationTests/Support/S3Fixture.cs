using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Support;

/// <summary>One S3-compatible server (fauxqs) for the tests of a class, with a bucket of its own.</summary>
public sealed class S3Fixture : IAsyncLifetime
{
    private S3TestServer? _server;

    public string Endpoint => (_server ?? throw new InvalidOperationException("not started")).Url;

    public string Bucket { get; } = $"ddbcopy-tests-{Guid.NewGuid():N}"[..30];

    public Amazon.S3.AmazonS3Client CreateClient() => (_server ?? throw new InvalidOperationException("not started")).CreateClient();

    /// <summary>The text of an object named by its s3:// URL, or null when there is none.</summary>
    public async Task<string?> ReadAsync(string url)
    {
        var location = new Uri(url);
        using var client = CreateClient();
        try
        {
            using var response = await client.GetObjectAsync(location.Host, location.AbsolutePath.TrimStart('/'));
            using var reader = new StreamReader(response.ResponseStream);
            return await reader.ReadToEndAsync();
        }
        catch (Amazon.S3.AmazonS3Exception ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task InitializeAsync()
    {
        _server = await S3TestServer.StartAsync();
        using var client = _server.CreateClient();
        await client.PutBucketAsync(Bucket);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
