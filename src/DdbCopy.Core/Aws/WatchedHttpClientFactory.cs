using Amazon.Runtime;

namespace DdbCopy.Core.Aws;

/// <summary>Gives an SDK client one HttpClient that sends through an <see cref="EndpointWatch"/>.</summary>
internal sealed class WatchedHttpClientFactory(EndpointWatch watch) : HttpClientFactory
{
    // The watch applies the request timeout; the HttpClient's own must not cut in first.
    private readonly HttpClient _client = new(watch, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => _client;

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
}
