using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;

namespace DdbCopy.TestSupport;

/// <summary>
/// An S3-compatible server for tests: fauxqs from the npm registry (in memory, path-style), installed into .tools/ once
/// and started on a free port; or the endpoint in DDBCOPY_TEST_S3_ENDPOINT. Disposing stops only what it started.
/// </summary>
public sealed class S3TestServer : IAsyncDisposable
{
    public const string EndpointVariable = "DDBCOPY_TEST_S3_ENDPOINT";
    public const string Package = "fauxqs@1.9.2";

    private readonly Process? _process;

    private S3TestServer(string url, Process? process)
    {
        Url = url;
        _process = process;
    }

    /// <summary>The endpoint as the CLI takes it (--s3Endpoint).</summary>
    public string Url { get; }

    public static string InstallDirectory => Path.Combine(RepositoryPaths.Tools, "fauxqs");

    public static async Task<S3TestServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(EndpointVariable) is { Length: > 0 } external)
        {
            return new S3TestServer(external.TrimEnd('/'), null);
        }

        var cli = Path.Combine(InstallDirectory, "node_modules", "fauxqs", "dist", "cli.js");
        if (!File.Exists(cli))
        {
            var install = await ProcessRunner.RunAsync("npm", ["install", "--prefix", InstallDirectory, Package, "--silent"], TimeSpan.FromMinutes(5));
            if (install.ExitCode != 0 || !File.Exists(cli))
            {
                throw new InvalidOperationException($"npm install {Package} failed: {install}");
            }
        }

        var port = DynamoDbLocalServer.FreePort();
        var info = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(cli);
        info.Environment["FAUXQS_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        process.OutputDataReceived += (_, _) => { }; // It logs every request: read and drop.
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new S3TestServer($"http://127.0.0.1:{port}", process);
        await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
        return server;
    }

    public AmazonS3Client CreateClient() => new(new BasicAWSCredentials("test", "test"),
        new AmazonS3Config { ServiceURL = Url, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process is { HasExited: true })
            {
                throw new InvalidOperationException($"fauxqs exited with code {_process.ExitCode} (is Node.js 20 installed?).");
            }

            try
            {
                using var response = await http.GetAsync($"{Url}/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"fauxqs did not answer on {Url} within {timeout.TotalSeconds} s.");
    }
}
