using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace DdbCopy.Tests.Fakes;

/// <summary>
/// An SDK client whose table-management calls are answered in memory (the SDK's methods are virtual), to test code
/// paths DynamoDB Local cannot reach: tags, point-in-time recovery, SSE, deletion protection, capacity updates.
/// </summary>
internal sealed partial class FakeDynamoDbClient() : AmazonDynamoDBClient(new BasicAWSCredentials("fake", "fake"),
    new AmazonDynamoDBConfig { ServiceURL = "http://127.0.0.1:9", AuthenticationRegion = "us-east-1" })
{
    public Dictionary<string, TableDescription> Tables { get; } = new(StringComparer.Ordinal);

    public bool SupportsTags { get; init; } = true;

    public bool SupportsBackups { get; init; } = true;

    public Dictionary<string, List<Tag>> TagsByArn { get; } = new(StringComparer.Ordinal);

    public HashSet<string> PitrEnabled { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> TtlByTable { get; } = new(StringComparer.Ordinal);

    public List<string> Calls { get; } = [];

    /// <summary>How many DescribeTable calls a created table answers CREATING before ACTIVE.</summary>
    public int CreatingPolls { get; init; }

    private readonly Dictionary<string, int> _polls = new(StringComparer.Ordinal);

    public CreateTableRequest? LastCreate { get; private set; }

    /// <summary>Answers Scan (throws what a test wants it to); none by default.</summary>
    public Func<ScanRequest, ScanResponse>? OnScan { get; init; }

    public override Task<ScanResponse> ScanAsync(ScanRequest request, CancellationToken cancellationToken = default)
    {
        lock (_itemsGate)
        {
            Calls.Add("Scan");
        }

        return OnScan is { } answer ? Task.FromResult(answer(request))
            : Items.ContainsKey(request.TableName) ? Task.FromResult(ScanItems(request))
            : throw new NotSupportedException("no Scan in this fake");
    }

    public override Task<DescribeTableResponse> DescribeTableAsync(DescribeTableRequest request, CancellationToken cancellationToken = default)
    {
        Calls.Add("DescribeTable");
        if (!Tables.TryGetValue(request.TableName, out var table))
        {
            throw new ResourceNotFoundException("Requested resource not found") { ErrorCode = "ResourceNotFoundException", StatusCode = HttpStatusCode.BadRequest };
        }

        var polls = _polls.GetValueOrDefault(request.TableName);
        _polls[request.TableName] = polls + 1;
        var creating = polls < CreatingPolls && LastCreate?.TableName == request.TableName;
        table.TableStatus = creating ? TableStatus.CREATING : TableStatus.ACTIVE;
        foreach (var index in table.GlobalSecondaryIndexes ?? [])
        {
            index.IndexStatus = creating ? IndexStatus.CREATING : IndexStatus.ACTIVE;
        }

        return Task.FromResult(new DescribeTableResponse { Table = table });
    }

    public override Task<CreateTableResponse> CreateTableAsync(CreateTableRequest request, CancellationToken cancellationToken = default)
    {
        Calls.Add("CreateTable");
        LastCreate = request;
        var table = new TableDescription
        {
            TableName = request.TableName,
            TableArn = $"arn:aws:dynamodb:us-east-1:123456789012:table/{request.TableName}",
            KeySchema = request.KeySchema,
            AttributeDefinitions = request.AttributeDefinitions,
            BillingModeSummary = new BillingModeSummary { BillingMode = request.BillingMode },
            ProvisionedThroughput = new ProvisionedThroughputDescription
            {
                ReadCapacityUnits = request.ProvisionedThroughput?.ReadCapacityUnits ?? 0,
                WriteCapacityUnits = request.ProvisionedThroughput?.WriteCapacityUnits ?? 0,
            },
            GlobalSecondaryIndexes = request.GlobalSecondaryIndexes?.Select(g => new GlobalSecondaryIndexDescription
            {
                IndexName = g.IndexName,
                KeySchema = g.KeySchema,
                Projection = g.Projection,
                ProvisionedThroughput = g.ProvisionedThroughput is null ? null : new ProvisionedThroughputDescription
                {
                    ReadCapacityUnits = g.ProvisionedThroughput.ReadCapacityUnits,
                    WriteCapacityUnits = g.ProvisionedThroughput.WriteCapacityUnits,
                },
            }).ToList(),
            SSEDescription = request.SSESpecification is { Enabled: true } sse
                ? new SSEDescription { SSEType = sse.SSEType, Status = SSEStatus.ENABLED, KMSMasterKeyArn = sse.KMSMasterKeyId }
                : null,
            DeletionProtectionEnabled = request.DeletionProtectionEnabled,
            StreamSpecification = request.StreamSpecification,
            TableClassSummary = request.TableClass is null ? null : new TableClassSummary { TableClass = request.TableClass },
        };
        Tables[request.TableName] = table;
        return Task.FromResult(new CreateTableResponse { TableDescription = table });
    }

    public override Task<UpdateTimeToLiveResponse> UpdateTimeToLiveAsync(UpdateTimeToLiveRequest request, CancellationToken cancellationToken = default)
    {
        Calls.Add("UpdateTimeToLive");
        TtlByTable[request.TableName] = request.TimeToLiveSpecification.AttributeName;
        return Task.FromResult(new UpdateTimeToLiveResponse());
    }

    public override Task<DescribeTimeToLiveResponse> DescribeTimeToLiveAsync(DescribeTimeToLiveRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(new DescribeTimeToLiveResponse
        {
            TimeToLiveDescription = TtlByTable.TryGetValue(request.TableName, out var ttl)
                ? new TimeToLiveDescription { AttributeName = ttl, TimeToLiveStatus = TimeToLiveStatus.ENABLED }
                : new TimeToLiveDescription { TimeToLiveStatus = TimeToLiveStatus.DISABLED },
        });

    public override Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default)
    {
        Calls.Add("TagResource");
        ThrowUnlessSupported(SupportsTags, "Tagging is not currently supported in DynamoDB Local.");
        TagsByArn[request.ResourceArn] = request.Tags;
        return Task.FromResult(new TagResourceResponse());
    }

    public override Task<ListTagsOfResourceResponse> ListTagsOfResourceAsync(ListTagsOfResourceRequest request, CancellationToken cancellationToken = default)
    {
        ThrowUnlessSupported(SupportsTags, "Tagging is not currently supported in DynamoDB Local.");
        return Task.FromResult(new ListTagsOfResourceResponse { Tags = TagsByArn.GetValueOrDefault(request.ResourceArn, []) });
    }

    public override Task<UpdateContinuousBackupsResponse> UpdateContinuousBackupsAsync(UpdateContinuousBackupsRequest request, CancellationToken cancellationToken = default)
    {
        Calls.Add("UpdateContinuousBackups");
        ThrowUnlessSupported(SupportsBackups, "An unknown operation was requested.");
        PitrEnabled.Add(request.TableName);
        return Task.FromResult(new UpdateContinuousBackupsResponse());
    }

    public override Task<DescribeContinuousBackupsResponse> DescribeContinuousBackupsAsync(DescribeContinuousBackupsRequest request, CancellationToken cancellationToken = default)
    {
        ThrowUnlessSupported(SupportsBackups, "An unknown operation was requested.");
        return Task.FromResult(new DescribeContinuousBackupsResponse
        {
            ContinuousBackupsDescription = new ContinuousBackupsDescription
            {
                PointInTimeRecoveryDescription = new PointInTimeRecoveryDescription
                {
                    PointInTimeRecoveryStatus = PitrEnabled.Contains(request.TableName) ? PointInTimeRecoveryStatus.ENABLED : PointInTimeRecoveryStatus.DISABLED,
                },
            },
        });
    }

    /// <summary>When set, UpdateTable throws this (e.g. the decrease quota is used up).</summary>
    public Exception? UpdateTableFails { get; set; }

    public List<UpdateTableRequest> Updates { get; } = [];

    public override Task<UpdateTableResponse> UpdateTableAsync(UpdateTableRequest request, CancellationToken cancellationToken = default)
    {
        Calls.Add("UpdateTable");
        if (UpdateTableFails is { } failure)
        {
            throw failure;
        }

        Updates.Add(request);
        var table = Tables[request.TableName];
        if (request.StreamSpecification is { } stream)
        {
            table.StreamSpecification = stream;
        }

        if (request.ProvisionedThroughput is { } throughput)
        {
            table.ProvisionedThroughput.ReadCapacityUnits = throughput.ReadCapacityUnits;
            table.ProvisionedThroughput.WriteCapacityUnits = throughput.WriteCapacityUnits;
        }

        foreach (var update in request.GlobalSecondaryIndexUpdates ?? [])
        {
            var index = table.GlobalSecondaryIndexes.Single(g => g.IndexName == update.Update.IndexName);
            index.ProvisionedThroughput.ReadCapacityUnits = update.Update.ProvisionedThroughput.ReadCapacityUnits;
            index.ProvisionedThroughput.WriteCapacityUnits = update.Update.ProvisionedThroughput.WriteCapacityUnits;
        }

        return Task.FromResult(new UpdateTableResponse { TableDescription = table });
    }

    private static void ThrowUnlessSupported(bool supported, string message)
    {
        if (!supported)
        {
            throw new AmazonDynamoDBException(message) { ErrorCode = "UnknownOperationException", StatusCode = HttpStatusCode.BadRequest };
        }
    }
}
