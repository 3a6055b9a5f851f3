using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace DdbCopy.Core.Aws;

/// <summary>Builds SDK clients for one side from its endpoint, region and profile, through the SDK's normal chains.</summary>
public static class DynamoDbClientFactory
{
    private const string LocalDefaultRegion = "us-east-1";

    /// <param name="sideName">"source" or "destination", used in error messages.</param>
    /// <param name="watch">Watches every request of the client (timeout, a lost side); null for the SDK's own HTTP client.</param>
    public static AmazonDynamoDBClient Create(SideSpec side, string sideName, EndpointWatch? watch = null)
    {
        // Our own retry pipeline owns every retry, so the SDK must not retry underneath it.
        var config = new AmazonDynamoDBConfig { MaxErrorRetry = 0, Timeout = TimeSpan.FromSeconds(30) };
        if (watch is not null)
        {
            config.HttpClientFactory = new WatchedHttpClientFactory(watch);
            config.Timeout = watch.RequestTimeout + TimeSpan.FromSeconds(5);
        }

        var credentials = Configure(config, side, sideName);
        return credentials is null ? new AmazonDynamoDBClient(config) : new AmazonDynamoDBClient(credentials, config);
    }

    /// <summary>
    /// Opens one side for a run: a client whose every request goes through a new <see cref="EndpointWatch"/>, the side
    /// as the client resolved it (<see cref="Resolved"/>), and a log line naming its endpoint, region and credentials.
    /// </summary>
    public static (AmazonDynamoDBClient Client, SideSpec Side) Open(SideSpec side, string sideName, TimeSpan requestTimeout, TimeProvider timeProvider,
        Microsoft.Extensions.Logging.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(side);
        var watch = new EndpointWatch(sideName, side.Endpoint.ToString(), requestTimeout, EndpointWatch.DefaultLostAfter, timeProvider, logger);
        var client = Create(side, sideName, watch);
        var resolved = Resolved(side, client);
        Log.Identity(logger, sideName, $"{resolved.Endpoint}, credentials from {resolved.Identity}");
        return (client, resolved);
    }

    /// <summary>
    /// The side as the client resolved it: the region filled in from the profile, <c>AWS_REGION</c> or the SDK's
    /// other sources, so every log line and message names the region really used.
    /// </summary>
    public static SideSpec Resolved(SideSpec side, IAmazonDynamoDB client)
    {
        ArgumentNullException.ThrowIfNull(side);
        ArgumentNullException.ThrowIfNull(client);
        var region = client.Config.RegionEndpoint?.SystemName ?? client.Config.AuthenticationRegion;
        return string.IsNullOrEmpty(region) || region == side.Endpoint.Region
            ? side
            : side with { Endpoint = side.Endpoint with { Region = region } };
    }

    /// <summary>
    /// Points any SDK client config at the side's endpoint and region, and resolves its credentials (profile, role,
    /// dummy ones for a local endpoint); null means the SDK's default chain.
    /// </summary>
    public static AWSCredentials? Configure(ClientConfig config, SideSpec side, string sideName)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(side);
        var profile = side.Profile is null ? null : LoadProfile(side.Profile, sideName);
        var region = side.Endpoint.Region ?? profile?.Region?.SystemName;
        if (side.Endpoint.ServiceUrl is { } url)
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = region
                ?? (side.Endpoint.IsLocal ? LocalDefaultRegion : FallbackRegion(sideName));
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region ?? FallbackRegion(sideName));
        }

        var credentials = ResolveCredentials(side, sideName);
        if (side.RoleArn is { } role)
        {
            credentials = AssumeRole(credentials ?? BaseCredentials(config, sideName), role, side.ExternalId, sideName);
        }

        return credentials;
    }

    /// <summary>Credentials that assume <paramref name="roleArn"/> (refreshed by the SDK as they expire) from the given ones.</summary>
    public static AssumeRoleAWSCredentials AssumeRole(AWSCredentials source, string roleArn, string? externalId, string sideName) =>
        new(source, roleArn, $"ddbcopy-{sideName}", new AssumeRoleAWSCredentialsOptions { ExternalId = externalId });

    private static AWSCredentials BaseCredentials(ClientConfig config, string sideName)
    {
        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials(config);
        }
        catch (AmazonClientException ex)
        {
            throw new DdbCopyException(FailureKind.Environment,
                $"No credentials to assume the {sideName} role with: configure a profile, environment variables or an instance role ({ex.Message}).", ex);
        }
    }

    private static CredentialProfile LoadProfile(string name, string sideName)
    {
        var chain = new CredentialProfileStoreChain();
        if (!chain.TryGetProfile(name, out var profile))
        {
            throw new DdbCopyException(FailureKind.Usage,
                $"The {sideName} profile '{name}' was not found in the AWS config or credentials file.");
        }

        return profile;
    }

    private static string FallbackRegion(string sideName) =>
        FallbackRegionFactory.GetRegionEndpoint()?.SystemName
        ?? throw new DdbCopyException(FailureKind.Usage,
            $"No region for the {sideName}: pass --{sideName}Region, an endpoint such as dynamodb.us-east-1.amazonaws.com, or set AWS_REGION.");

    private static AWSCredentials? ResolveCredentials(SideSpec side, string sideName)
    {
        if (side.Profile is not null)
        {
            if (new CredentialProfileStoreChain().TryGetAWSCredentials(side.Profile, out var fromProfile))
            {
                return fromProfile;
            }

            throw new DdbCopyException(FailureKind.Usage, $"The {sideName} profile '{side.Profile}' has no usable credentials.");
        }

        if (!side.Endpoint.IsLocal || HasConfiguredCredentials())
        {
            return null; // The SDK's default chain: environment, profile, SSO, container, instance metadata.
        }

        // DynamoDB Local accepts any credentials; do not make the user invent some.
        return new BasicAWSCredentials("ddbcopy-local", "ddbcopy-local");
    }

    private static bool HasConfiguredCredentials() =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_PROFILE"))
        || new CredentialProfileStoreChain().TryGetProfile("default", out _);
}
