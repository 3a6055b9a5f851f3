using System.Net;
using System.Text;

namespace DdbCopy.TestSupport;

/// <summary>
/// An HTTP server on 127.0.0.1 that answers every request with one fixed DynamoDB-style error, to test what the
/// CLI says for answers DynamoDB Local never gives (access denied, expired credentials).
/// </summary>
public sealed class FixedResponseServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _requests;

    public FixedResponseServer(int status, string errorType, string message)
    {
        var port = DynamoDbLocalServer.FreePort();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        var body = Encoding.UTF8.GetBytes($"{{\"__type\":\"com.amazonaws.dynamodb.v20120810#{errorType}\",\"message\":\"{message}\"}}");
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception) when (!_listener.IsListening)
                {
                    return;
                }
                catch (HttpListenerException)
                {
                    return;
                }

                Interlocked.Increment(ref _requests);
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/x-amz-json-1.0";
                context.Response.Headers["x-amzn-ErrorType"] = errorType;
                context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        });
    }

    public string Url { get; }

    public int Requests => Volatile.Read(ref _requests);

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }
    }
}
