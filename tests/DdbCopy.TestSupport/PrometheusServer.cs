using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace DdbCopy.TestSupport;

/// <summary>
/// A real Prometheus server (Debian's package, installed by scripts/install-tools.sh) on a free port, scraping one
/// target every second, with its query API for the test to ask what it scraped.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private PrometheusServer(Process process, string folder, string url)
    {
        _process = process;
        _folder = folder;
        Url = url;
    }

    public string Url { get; }

    /// <summary>Starts Prometheus scraping <paramref name="target"/> (HOST:PORT) at /metrics every second.</summary>
    public static async Task<PrometheusServer> StartAsync(string target)
    {
        var program = new[] { "/usr/bin/prometheus", "/usr/local/bin/prometheus" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("No prometheus found: run scripts/install-tools.sh (as root it installs the prometheus package).");
        var folder = Directory.CreateTempSubdirectory("ddbcopy-prometheus-").FullName;
        var config = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: ddbcopy
                static_configs:
                  - targets: ["{target}"]
            """);
        var port = DynamoDbLocalServer.FreePort();
        var info = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
                 {
                     $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder, "data")}", $"--web.listen-address=127.0.0.1:{port}",
                     "--log.level=warn",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("prometheus did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, folder, $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var ready = await server._http.GetAsync(server.Url + "/-/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            if (process.HasExited || watch.Elapsed > TimeSpan.FromSeconds(60))
            {
                await server.DisposeAsync();
                throw new InvalidOperationException("prometheus did not become ready in 60 s");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>An instant query: each series' labels and value (empty when Prometheus has none yet).</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string query)
    {
        using var answer = await _http.GetAsync($"{Url}/api/v1/query?query={Uri.EscapeDataString(query)}");
        using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        if (json.RootElement.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException(json.RootElement.ToString());
        }

        return json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(r => ((IReadOnlyDictionary<string, string>)r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
                double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
