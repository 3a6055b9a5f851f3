using System.Text.RegularExpressions;

namespace DdbCopy.Core.Aws;

/// <summary>
/// Where one side of a copy lives. An endpoint may be a host name as in dynamodb-import-export-tool
/// (<c>dynamodb.eu-west-1.amazonaws.com</c>, https implied, region from the name), a URL
/// (<c>http://localhost:8000</c>) or absent (the region's public endpoint).
/// </summary>
public sealed partial record EndpointSpec(Uri? ServiceUrl, string? Region, bool IsLocal)
{
    [GeneratedRegex(@"^dynamodb(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AwsHostPattern();

    /// <summary>Parses an endpoint flag value. <paramref name="region"/> (when given) wins over a region read from the host.</summary>
    /// <returns>null and an error message when the value cannot be an endpoint.</returns>
    public static EndpointSpec? TryParse(string? endpoint, string? region, out string? error)
    {
        error = null;
        region = string.IsNullOrWhiteSpace(region) ? null : region.Trim();
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return new EndpointSpec(null, region, IsLocal: false);
        }

        var text = endpoint.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            // A bare host (the classic tool's form). Local hosts speak plain http, everything else https.
            var hostOnly = text.Split(':')[0];
            text = (IsLoopbackHost(hostOnly) ? "http://" : "https://") + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            error = $"'{endpoint}' is not an endpoint: use a host name such as dynamodb.us-east-1.amazonaws.com or a URL such as http://localhost:8000";
            return null;
        }

        var match = AwsHostPattern().Match(uri.Host);
        var hostRegion = match.Success ? match.Groups[1].Value.ToLowerInvariant() : null;
        var isLocal = IsLoopbackHost(uri.Host);
        return new EndpointSpec(uri, region ?? hostRegion, isLocal);
    }

    private static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || host.StartsWith("127.", StringComparison.Ordinal)
        || host is "[::1]" or "::1";

    public override string ToString() =>
        ServiceUrl is null ? $"region {Region ?? "(default)"}" : $"{ServiceUrl.GetLeftPart(UriPartial.Authority)} ({Region ?? "default region"})";
}
