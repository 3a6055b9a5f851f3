using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Formats;

namespace DdbCopy.Core.Sources.Streams;

/// <summary>
/// DynamoDB Streams over its JSON 1.0 protocol (<c>X-Amz-Target: DynamoDBStreams_20120810.Op</c>), signed with the
/// SDK's own SigV4 signer and credentials, sent through the side's <see cref="EndpointWatch"/>. Written by hand
/// because AWSSDK.DynamoDBStreams is not available here; it does no retries (the caller's pipeline does).
/// </summary>
public sealed class StreamsClient : IStreamsClient
{
    private const string TargetPrefix = "DynamoDBStreams_20120810.";
    private const string ContentType = "application/x-amz-json-1.0";

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly AWSCredentials _credentials;
    private readonly RegionEndpoint _region;

    public StreamsClient(HttpMessageHandler handler, Uri endpoint, AWSCredentials credentials, string region)
    {
        _http = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        _endpoint = endpoint;
        _credentials = credentials;
        _region = RegionEndpoint.GetBySystemName(region);
    }

    /// <summary>The Streams endpoint of a side: its own URL when one was given (DynamoDB Local serves both), else the region's.</summary>
    /// <summary>
    /// The endpoint the environment names for DynamoDB Streams, as the SDKs take it for their own clients:
    /// AWS_ENDPOINT_URL_DYNAMODB_STREAMS, else AWS_ENDPOINT_URL (unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true).
    /// </summary>
    private static Uri? ConfiguredEndpoint()
    {
        if (string.Equals(Environment.GetEnvironmentVariable("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var url = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB_STREAMS") is { Length: > 0 } streams ? streams
            : Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL") is { Length: > 0 } any ? any : null;
        return url is not null && Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri) ? uri : null;
    }

    public static StreamsClient Create(SideSpec side, string sideName, EndpointWatch watch)
    {
        ArgumentNullException.ThrowIfNull(side);
        var config = new AmazonDynamoDBConfig();
        var credentials = DynamoDbClientFactory.Configure(config, side, sideName) ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(config);
        var region = config.AuthenticationRegion ?? config.RegionEndpoint?.SystemName ?? "us-east-1";
        var endpoint = side.Endpoint.ServiceUrl ?? ConfiguredEndpoint() ?? new Uri($"https://streams.dynamodb.{region}.amazonaws.com/");
        return new StreamsClient(watch, endpoint, credentials, region);
    }

    public async Task<IReadOnlyList<string>> ListStreamsAsync(string tableName, CancellationToken cancellationToken)
    {
        var arns = new List<string>();
        string? start = null;
        do
        {
            using var response = await SendAsync("ListStreams", w =>
            {
                w.WriteString("TableName", tableName);
                if (start is not null)
                {
                    w.WriteString("ExclusiveStartStreamArn", start);
                }
            }, cancellationToken);
            var root = response.RootElement;
            if (root.TryGetProperty("Streams", out var streams))
            {
                arns.AddRange(streams.EnumerateArray().Select(s => s.GetProperty("StreamArn").GetString()!));
            }

            start = OptionalString(root, "LastEvaluatedStreamArn");
        }
        while (start is not null);

        return arns;
    }

    public async Task<StreamDescriptionPage> DescribeStreamAsync(string streamArn, string? exclusiveStartShardId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync("DescribeStream", w =>
        {
            w.WriteString("StreamArn", streamArn);
            if (exclusiveStartShardId is not null)
            {
                w.WriteString("ExclusiveStartShardId", exclusiveStartShardId);
            }
        }, cancellationToken);
        var description = response.RootElement.GetProperty("StreamDescription");
        var shards = new List<ShardDescription>();
        if (description.TryGetProperty("Shards", out var list))
        {
            foreach (var shard in list.EnumerateArray())
            {
                var range = shard.TryGetProperty("SequenceNumberRange", out var r) ? r : default;
                shards.Add(new ShardDescription(
                    shard.GetProperty("ShardId").GetString()!,
                    OptionalString(shard, "ParentShardId"),
                    range.ValueKind == JsonValueKind.Object ? OptionalString(range, "StartingSequenceNumber") : null,
                    range.ValueKind == JsonValueKind.Object ? OptionalString(range, "EndingSequenceNumber") : null));
            }
        }

        return new StreamDescriptionPage(OptionalString(description, "StreamStatus") ?? "UNKNOWN", OptionalString(description, "StreamViewType") ?? "UNKNOWN",
            shards, OptionalString(description, "LastEvaluatedShardId"));
    }

    public async Task<string> GetShardIteratorAsync(string streamArn, string shardId, ShardIteratorKind kind, string? sequenceNumber,
        CancellationToken cancellationToken)
    {
        using var response = await SendAsync("GetShardIterator", w =>
        {
            w.WriteString("StreamArn", streamArn);
            w.WriteString("ShardId", shardId);
            w.WriteString("ShardIteratorType", kind switch
            {
                ShardIteratorKind.TrimHorizon => "TRIM_HORIZON",
                ShardIteratorKind.Latest => "LATEST",
                ShardIteratorKind.AtSequenceNumber => "AT_SEQUENCE_NUMBER",
                _ => "AFTER_SEQUENCE_NUMBER",
            });
            if (sequenceNumber is not null)
            {
                w.WriteString("SequenceNumber", sequenceNumber);
            }
        }, cancellationToken);
        return response.RootElement.GetProperty("ShardIterator").GetString()!;
    }

    public async Task<RecordsPage> GetRecordsAsync(string shardIterator, int limit, CancellationToken cancellationToken)
    {
        using var response = await SendAsync("GetRecords", w =>
        {
            w.WriteString("ShardIterator", shardIterator);
            w.WriteNumber("Limit", limit);
        }, cancellationToken);
        var root = response.RootElement;
        var records = new List<ChangeRecord>();
        if (root.TryGetProperty("Records", out var list))
        {
            foreach (var record in list.EnumerateArray())
            {
                records.Add(ReadRecord(record));
            }
        }

        return new RecordsPage(records, OptionalString(root, "NextShardIterator"));
    }

    /// <summary>One record of a GetRecords answer.</summary>
    public static ChangeRecord ReadRecord(JsonElement record)
    {
        var change = record.GetProperty("dynamodb");
        var created = change.TryGetProperty("ApproximateCreationDateTime", out var at) && at.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(at.GetDouble() * 1000))
            : DateTimeOffset.MinValue;
        return new ChangeRecord(
            change.GetProperty("SequenceNumber").GetString()!,
            OptionalString(record, "eventName") ?? "MODIFY",
            created,
            DynamoDbJson.ReadItem(change.GetProperty("Keys"), ""),
            change.TryGetProperty("NewImage", out var newImage) ? DynamoDbJson.ReadItem(newImage, "") : null,
            change.TryGetProperty("OldImage", out var oldImage) ? DynamoDbJson.ReadItem(oldImage, "") : null,
            change.TryGetProperty("SizeBytes", out var size) && size.ValueKind == JsonValueKind.Number ? size.GetInt64() : 0);
    }

    private async Task<JsonDocument> SendAsync(string operation, Action<Utf8JsonWriter> body, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        var content = buffer.ToArray();
        var signing = new AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = _endpoint, Content = content };
        signing.Headers["X-Amz-Target"] = TargetPrefix + operation;
        signing.Headers["Content-Type"] = ContentType;
        var signed = await AWSSigV4Signer.SignAsync(signing, new AWSSigV4Parameters { Credentials = _credentials, Region = _region, Service = "dynamodb" },
            cancellationToken);

        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(content) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", TargetPrefix + operation);
        foreach (var (name, value) in signed.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response.StatusCode, text, response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null);
        }

        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new AmazonUnmarshallingException(null, null, ex, response.StatusCode);
        }
    }

    /// <summary>An error answer as the SDK would raise it: the service's code (after the '#' of <c>__type</c>) and message.</summary>
    public static AmazonServiceException Failure(HttpStatusCode status, byte[] body, string? requestId)
    {
        string? code = null;
        string? message = null;
        try
        {
            using var error = JsonDocument.Parse(body);
            var type = OptionalString(error.RootElement, "__type");
            code = type?[(type.LastIndexOf('#') + 1)..];
            message = OptionalString(error.RootElement, "message") ?? OptionalString(error.RootElement, "Message");
        }
        catch (JsonException)
        {
            message = Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 200)));
        }

        code ??= ((int)status).ToString(CultureInfo.InvariantCulture);
        return new AmazonServiceException(message ?? code, null, (int)status >= 500 ? ErrorType.Receiver : ErrorType.Sender, code, requestId, status);
    }

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public void Dispose() => _http.Dispose();

}
