using Amazon.DynamoDBv2;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Sources.Streams;
using DdbCopy.Core.Storage;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Jobs;

/// <summary>
/// Every client a job opens: a side's DynamoDB, its stream, an export's folder or S3 prefix. A job is given one, so a
/// unit test runs the job against fakes; without one, a job opens the real ones (<see cref="JobClients"/>).
/// </summary>
public interface IJobClients
{
    /// <summary>One side's DynamoDB client, every request watched (timeout, a lost side), and the side as the client resolved it.</summary>
    (IAmazonDynamoDB Client, SideSpec Side) OpenDynamoDb(SideSpec side, string sideName, TimeSpan requestTimeout, ILogger logger);

    /// <summary>The side's DynamoDB Streams client, its requests watched by <paramref name="watch"/>.</summary>
    IStreamsClient OpenStreams(SideSpec side, string sideName, EndpointWatch watch);

    /// <summary>A folder or an S3 prefix to write files into.</summary>
    IFileStore OpenFiles(StorageLocation location, SideSpec s3, long partSizeBytes);
}

/// <summary>The real clients: the AWS SDK's, a local folder or S3.</summary>
public sealed class JobClients(TimeProvider timeProvider) : IJobClients
{
    public (IAmazonDynamoDB Client, SideSpec Side) OpenDynamoDb(SideSpec side, string sideName, TimeSpan requestTimeout, ILogger logger) =>
        DynamoDbClientFactory.Open(side, sideName, requestTimeout, timeProvider, logger);

    public IStreamsClient OpenStreams(SideSpec side, string sideName, EndpointWatch watch) => StreamsClient.Create(side, sideName, watch);

    public IFileStore OpenFiles(StorageLocation location, SideSpec s3, long partSizeBytes) => FileStores.Open(location, s3, partSizeBytes);
}
