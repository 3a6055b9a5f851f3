using Amazon.DynamoDBv2;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Schema;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Jobs.Copying;

/// <summary>
/// `ddbcopy finish`: what a copy into a table it created does at its end — enable the stream, TTL and point-in-time
/// recovery of the source's definition (or a schema file's) — done once, after every section of a sectioned copy ended.
/// Only what the destination lacks is changed, so running it twice changes nothing the second time.
/// </summary>
public sealed class PostCopySteps(ILoggerFactory loggerFactory, TimeProvider timeProvider, IJobClients? clients = null)
{
    private readonly IJobClients _clients = clients ?? new JobClients(timeProvider);

    public async Task<IReadOnlyList<string>> RunAsync(CopySettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var logger = loggerFactory.CreateLogger("ddbcopy");
        var (destinationClient, destinationSide) = _clients.OpenDynamoDb(settings.Destination, "destination", settings.RequestTimeout, logger);
        using var destinationOwner = destinationClient;
        IAmazonDynamoDB? sourceClient = null;
        if (settings.SchemaFile is null)
        {
            (sourceClient, var sourceSide) = _clients.OpenDynamoDb(settings.Source, "source", settings.RequestTimeout, logger);
            settings = settings with { Source = sourceSide };
        }

        using var sourceOwner = sourceClient;
        settings = settings with { Destination = destinationSide };
        var wanted = await CopyDefinitions.WantedAsync(sourceClient!, settings, logger, cancellationToken);
        var current = await CopyDefinitions.ReadDestinationAsync(destinationClient, settings, logger, cancellationToken)
            ?? throw new DdbCopyException(FailureKind.Environment, $"The destination table '{settings.DestinationTable}' does not exist at {settings.Destination}.");

        var missing = wanted with
        {
            StreamViewType = current.StreamViewType is null ? wanted.StreamViewType : null,
            TimeToLiveAttribute = current.TimeToLiveAttribute is null ? wanted.TimeToLiveAttribute : null,
            PointInTimeRecovery = current.PointInTimeRecovery == true ? null : wanted.PointInTimeRecovery,
        };
        var lines = new List<string>
        {
            Line("stream", wanted.StreamViewType, current.StreamViewType, missing.StreamViewType),
            Line("TTL", wanted.TimeToLiveAttribute, current.TimeToLiveAttribute, missing.TimeToLiveAttribute),
            Line("point-in-time recovery", wanted.PointInTimeRecovery == true ? "on" : null, current.PointInTimeRecovery == true ? "on" : null,
                missing.PointInTimeRecovery == true ? "on" : null),
        };
        try
        {
            await new TableCreator(destinationClient, timeProvider, logger).FinishAsync(missing, cancellationToken);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DdbCopyException))
        {
            throw new DdbCopyException(FailureKind.CopyFailed,
                $"Cannot finish the destination table '{settings.DestinationTable}' at {settings.Destination}: {ErrorText.Describe(ex)}", ex);
        }

        return lines;
    }

    private static string Line(string what, string? wanted, string? current, string? enabling) =>
        enabling is not null ? $"{what}: enabled ({enabling})"
        : wanted is null ? $"{what}: not wanted (the source has none)"
        : $"{what}: already enabled ({current})";
}
