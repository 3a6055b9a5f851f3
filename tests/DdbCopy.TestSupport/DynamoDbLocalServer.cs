using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace DdbCopy.TestSupport;

/// <summary>
/// A real DynamoDB for tests and the demo: DynamoDB Local started on a free port (-inMemory -sharedDb), or the
/// endpoint in DDBCOPY_TEST_ENDPOINT when that is set. Disposing stops only the process this instance started.
/// </summary>
public sealed class DynamoDbLocalServer : IAsyncDisposable
{
    public const string EndpointVariable = "DDBCOPY_TEST_ENDPOINT";

    private readonly Process? _process;

    private DynamoDbLocalServer(Uri endpoint, Process? process)
    {
        Endpoint = endpoint;
        _process = process;
    }

    public Uri Endpoint { get; }

    /// <summary>The endpoint as the CLI takes it (no trailing slash).</summary>
    public string Url => Endpoint.GetLeftPart(UriPartial.Authority);

    public static async Task<DynamoDbLocalServer> StartAsync(string heap = "-Xmx768m")
    {
        if (Environment.GetEnvironmentVariable(EndpointVariable) is { Length: > 0 } external)
        {
            return new DynamoDbLocalServer(new Uri(external), null);
        }

        var directory = await DynamoDbLocalInstaller.EnsureInstalledAsync();
        var port = FreePort();
        var info = new ProcessStartInfo("java")
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { heap, "-Djava.library.path=./DynamoDBLocal_lib", "-jar", "DynamoDBLocal.jar", "-inMemory", "-sharedDb", "-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("java did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new DynamoDbLocalServer(new Uri($"http://127.0.0.1:{port}"), process);
        await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return server;
    }

    public AmazonDynamoDBClient CreateClient() => new(
        new BasicAWSCredentials("test", "test"),
        new AmazonDynamoDBConfig { ServiceURL = Url, AuthenticationRegion = "us-east-1", MaxErrorRetry = 8 });

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process is { HasExited: true })
            {
                throw new InvalidOperationException($"DynamoDB Local exited with code {_process.ExitCode} (is Java 17+ installed?).");
            }

            try
            {
                using var response = await http.GetAsync(Endpoint);
                return; // Any answer (DynamoDB Local says 400 to a bare GET) means it is listening.
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"DynamoDB Local did not answer on {Endpoint} within {timeout.TotalSeconds} s.");
    }
}
