using System.Globalization;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Aws;

/// <summary>
/// Watches every HTTP request one side's client sends (data, control plane and waits alike). A request that gets no
/// answer within <see cref="RequestTimeout"/> fails with <see cref="RequestTimeoutException"/> (retried like any
/// network failure, and logged as a warning while the run waits). When <see cref="LostAfter"/> requests in a row get
/// no answer at all (refused or reset connections, DNS failures, timeouts), the side is lost: that request and every
/// later one fail at once with <see cref="EndpointLostException"/>, which nothing retries, so a run stops within
/// seconds instead of retrying its way through the rest of the table. Any answer, an error answer included, resets
/// the count. An endpoint that has never answered counts as lost after <see cref="NeverAnsweredLostAfter"/>.
/// </summary>
/// <remarks>
/// Written by hand rather than with Polly's circuit breaker: that one counts a failure ratio over a time window,
/// which either lags (a success just before the loss keeps the ratio under 1 for the whole window) or never fills
/// when every request waits for its timeout; "so many requests in a row without an answer" is what is meant here.
/// </remarks>
public sealed class EndpointWatch : DelegatingHandler
{
    /// <summary>How many requests in a row may get no answer before a side counts as lost.</summary>
    public const int DefaultLostAfter = 10;

    /// <summary>How many requests in a row may get no answer from an endpoint that never answered at all (a wrong address, most likely).</summary>
    public const int NeverAnsweredLostAfter = 3;

    /// <summary>How long one request may wait for its answer.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(10);

    private readonly string _side;
    private readonly string _where;
    private readonly TimeProvider _time;
    private readonly ILogger? _logger;
    private int _unanswered;
    private volatile bool _answered;
    private volatile string? _lost;

    /// <param name="side">"source", "destination", "s3": for messages.</param>
    /// <param name="where">The endpoint, for messages.</param>
    public EndpointWatch(string side, string where, TimeSpan requestTimeout, int lostAfter, TimeProvider timeProvider, ILogger? logger,
        HttpMessageHandler? inner = null)
        : base(inner ?? new SocketsHttpHandler
        {
            // What the SDK's own handler does: no redirects, no decompression (DynamoDB checks a CRC32 of the raw body).
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(requestTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(lostAfter, 1);
        _side = side;
        _where = where;
        RequestTimeout = requestTimeout;
        LostAfter = lostAfter;
        _time = timeProvider;
        _logger = logger;
    }

    public TimeSpan RequestTimeout { get; }

    public int LostAfter { get; }

    /// <summary>Requests in a row that got no answer so far.</summary>
    public int Unanswered => Volatile.Read(ref _unanswered);

    /// <summary>True once <see cref="LostAfter"/> requests in a row got no answer.</summary>
    public bool IsLost => _lost is not null;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_lost is { } why)
        {
            throw new EndpointLostException(why);
        }

        var operation = Operation(request);
        using var timeout = new CancellationTokenSource(RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var response = await base.SendAsync(request, linked.Token);
            // Shared fields are written only when they change: every writer's answer goes through here.
            if (!_answered)
            {
                _answered = true;
            }

            if (Volatile.Read(ref _unanswered) != 0)
            {
                Interlocked.Exchange(ref _unanswered, 0);
            }
            return response;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var seconds = RequestTimeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
            throw NoAnswer(operation, new RequestTimeoutException($"{operation} timed out after {seconds} s without an answer (--requestTimeoutSeconds)"));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw NoAnswer(operation, ex);
        }
    }

    private Exception NoAnswer(string operation, Exception failure)
    {
        var count = Interlocked.Increment(ref _unanswered);
        var reason = ErrorText.Describe(failure);
        if (_logger is not null)
        {
            Log.NoAnswer(_logger, Capitalized(_side), operation, reason, count);
        }

        var answered = _answered;
        if (count < (answered ? LostAfter : Math.Min(LostAfter, NeverAnsweredLostAfter)))
        {
            return failure;
        }

        _lost ??= string.Create(CultureInfo.InvariantCulture,
            $"the {_side} endpoint {_where} {(answered ? "stopped answering" : "does not answer")}: {count} requests in a row got no answer (the last: {reason})");
        return new EndpointLostException(_lost, failure);
    }

    private static string Operation(HttpRequestMessage request) =>
        request.Headers.TryGetValues("X-Amz-Target", out var values) && values.FirstOrDefault() is { } target
            ? target[(target.LastIndexOf('.') + 1)..]
            : $"{request.Method} {request.RequestUri?.AbsolutePath}";

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}

/// <summary>A request got no answer within the request timeout (retried like a network failure).</summary>
public sealed class RequestTimeoutException(string message) : TimeoutException(message);

/// <summary>A side stopped answering (see <see cref="EndpointWatch"/>): never retried, it stops the run.</summary>
public sealed class EndpointLostException(string message, Exception? inner = null) : Exception(message, inner);
