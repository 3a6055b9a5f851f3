using System.Net;
using System.Text;
using DdbCopy.Core.Aws;

namespace DdbCopy.Cli.Hosting;

/// <summary>
/// <c>--metricsListen HOST:PORT</c>: serves <c>/metrics</c> in the Prometheus text format (0.0.4) and <c>/healthz</c>
/// while the job runs (the page is <see cref="PrometheusText"/>'s). Written by hand with HttpListener (AOT-clean):
/// OpenTelemetry's HttpListener exporter is pre-release and, by its own README, not meant for production, and
/// prometheus-net polls instruments on a clock of its own and pulls in old Microsoft.Extensions packages.
/// </summary>
internal sealed class PrometheusEndpoint : IAsyncDisposable
{
    private readonly HttpListener _http = new();
    private readonly PrometheusText _metrics;
    private readonly Task _serving;

    private PrometheusEndpoint(string prefix)
    {
        _http.Prefixes.Add(prefix);
        _http.Start();
        _metrics = new PrometheusText();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>Listens at <paramref name="address"/> (HOST:PORT; 0.0.0.0, * or [::] for every interface).</summary>
    /// <exception cref="DdbCopyException">The address cannot be listened at (in use, not this machine's).</exception>
    public static PrometheusEndpoint Start(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var colon = address.LastIndexOf(':');
        var host = address[..colon] is "0.0.0.0" or "*" or "[::]" or "" ? "*" : address[..colon];
        try
        {
            return new PrometheusEndpoint($"http://{host}:{address[(colon + 1)..]}/");
        }
        catch (Exception ex) when (ex is HttpListenerException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            throw new DdbCopyException(FailureKind.Environment, $"--metricsListen {address}: cannot listen there ({ex.Message}). Nothing was read or written.", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Close();
        try
        {
            await _serving.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
            // Closed while waiting for a request: done.
        }

        _metrics.Dispose();
    }

    private async Task ServeAsync()
    {
        while (_http.IsListening)
        {
            var context = await _http.GetContextAsync().ConfigureAwait(false);
            try
            {
                var (status, type, body) = context.Request.Url?.AbsolutePath switch
                {
                    "/metrics" => (200, "text/plain; version=0.0.4; charset=utf-8", _metrics.Scrape()),
                    "/healthz" => (200, "text/plain; charset=utf-8", "ok\n"),
                    _ => (404, "text/plain; charset=utf-8", "not found: /metrics and /healthz are served\n"),
                };
                var bytes = Encoding.UTF8.GetBytes(body);
                context.Response.StatusCode = status;
                context.Response.ContentType = type;
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or IOException)
            {
                // The scraper went away mid-answer: the next scrape gets a fresh page.
            }
            finally
            {
                context.Response.Close();
            }
        }
    }
}
