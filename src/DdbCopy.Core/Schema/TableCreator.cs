using DdbCopy.Core.Aws;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Schema;

/// <summary>
/// Creates a table from a definition in two steps. <see cref="CreateAsync"/> creates it with its keys, indexes,
/// capacity, class, encryption, deletion protection and tags and waits until it and every index are ACTIVE.
/// <see cref="FinishAsync"/>, meant for after the data is in, enables the stream (so stream consumers do not receive
/// the bulk load as new writes), TTL and point-in-time recovery. Operations the server does not support (DynamoDB
/// Local: tags, backups) are warned about and skipped.
/// </summary>
public sealed class TableCreator(IAmazonDynamoDB client, TimeProvider timeProvider, ILogger logger)
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    public async Task CreateAsync(TableDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var started = timeProvider.GetTimestamp();
        Log.Creating(logger, definition.TableName, SchemaDiff.Describe(definition));
        var request = CreateTableRequestFactory.Build(definition with { StreamViewType = null });
        await ControlPlane.ApplyAsync(ct => client.CreateTableAsync(request, ct), (refusal, _) => ControlPlane.TableExists(refusal), timeProvider,
            cancellationToken);
        var arn = (await WaitUntilActiveAsync(definition.TableName, cancellationToken)).TableArn;
        Log.Created(logger, definition.TableName, timeProvider.GetElapsedTime(started).TotalSeconds);

        if (definition.Tags is { Count: > 0 } tags)
        {
            var done = await TableDefinitionReader.OptionalAsync(logger, definition.TableName, "TagResource", async () =>
            {
                await ControlPlane.ApplyAsync(ct => client.TagResourceAsync(new TagResourceRequest
                {
                    ResourceArn = arn,
                    Tags = tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
                }, ct), (_, _) => Task.FromResult(false), timeProvider, cancellationToken);
                return arn;
            });
            if (done is not null)
            {
                Log.SetAfterCreation(logger, definition.TableName, $"{tags.Count} tags");
            }
        }
    }

    /// <summary>Enables what the definition has and <see cref="CreateAsync"/> left for later: the stream, TTL, point-in-time recovery.</summary>
    public async Task FinishAsync(TableDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.StreamViewType is { } view)
        {
            await ControlPlane.ApplyAsync(ct => client.UpdateTableAsync(new UpdateTableRequest
            {
                TableName = definition.TableName,
                StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = new StreamViewType(view) },
            }, ct), async (_, ct) => (await DescribeAsync(definition.TableName, ct)).StreamSpecification?.StreamEnabled == true, timeProvider,
                cancellationToken);
            await WaitUntilActiveAsync(definition.TableName, cancellationToken);
            Log.SetAfterCreation(logger, definition.TableName, $"stream ({view})");
        }

        if (definition.TimeToLiveAttribute is { } ttl)
        {
            await ControlPlane.ApplyAsync(ct => client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
            {
                TableName = definition.TableName,
                TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = ttl, Enabled = true },
            }, ct), async (_, ct) => (await ControlPlane.CallAsync(c => client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = definition.TableName }, c),
                timeProvider, ct)).TimeToLiveDescription?.TimeToLiveStatus?.Value is "ENABLED" or "ENABLING", timeProvider, cancellationToken);
            Log.SetAfterCreation(logger, definition.TableName, $"TTL on {ttl}");
        }

        if (definition.PointInTimeRecovery == true)
        {
            var done = await TableDefinitionReader.OptionalAsync(logger, definition.TableName, "UpdateContinuousBackups", async () =>
            {
                await ControlPlane.ApplyAsync(ct => client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
                {
                    TableName = definition.TableName,
                    PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true },
                }, ct), (_, _) => Task.FromResult(false), timeProvider, cancellationToken);
                return definition.TableName;
            });
            if (done is not null)
            {
                Log.SetAfterCreation(logger, definition.TableName, "point-in-time recovery");
            }
        }
    }

    private async Task<TableDescription> DescribeAsync(string table, CancellationToken cancellationToken) =>
        (await ControlPlane.CallAsync(ct => client.DescribeTableAsync(new DescribeTableRequest { TableName = table }, ct), timeProvider, cancellationToken)).Table;

    private async Task<TableDescription> WaitUntilActiveAsync(string table, CancellationToken cancellationToken)
    {
        var (status, description) = await ActiveTableWaiter.WaitForAsync(client, table, timeProvider, PollInterval, Timeout, cancellationToken);
        if (status is not null)
        {
            throw new Aws.DdbCopyException(Aws.FailureKind.Environment,
                $"The table '{table}' was created but is still {status} after {Timeout.TotalMinutes:0} minutes.");
        }

        return description;
    }
}
