using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Errors;
using DdbCopy.Core.Schema;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Copying;

/// <summary>Checks everything that can be checked before the first write: both tables exist, are usable and share a key schema.</summary>
public static class CopyPreflight
{
    private static readonly HashSet<string> AccessCodes = new(StringComparer.Ordinal)
    {
        "AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException",
        "MissingAuthenticationTokenException", "IncompleteSignatureException", "InvalidClientTokenId", "AuthFailure",
    };

    /// <summary>
    /// Every check of a copy that needs the tables, run before anything is changed or written: both sides are
    /// described, a destination that is the source itself is refused (however the endpoints are spelled), the keys
    /// match, and what --createDestination/--recreateDestination would create and delete is known and allowed.
    /// </summary>
    public static async Task<CopyChecks> CheckAsync(IAmazonDynamoDB sourceClient, IAmazonDynamoDB destinationClient, CopySettings settings,
        TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (source, destination) = await DescribeBothAsync(sourceClient, destinationClient, settings, timeProvider, cancellationToken);
        await CheckFilterAsync(sourceClient, settings, timeProvider, cancellationToken);
        var create = settings.RecreateDestination || (settings.CreateDestination && destination is null);
        if (!create)
        {
            if (destination is null)
            {
                throw new DdbCopyException(FailureKind.Environment, $"The destination table '{settings.DestinationTable}' does not exist at {settings.Destination}.");
            }

            CheckKeysMatch(source, destination, settings.Shape);
            return new CopyChecks(source, destination, null, null);
        }

        var wanted = await DestinationCreator.WantedAsync(sourceClient, settings, logger, cancellationToken);
        CheckKeysMatch(source, TableInspector.FromDefinition(wanted), settings.Shape);
        TableDefinition? replaced = null;
        if (destination is not null)
        {
            replaced = await DestinationCreator.ReadDestinationAsync(destinationClient, settings, logger, cancellationToken);
            if (replaced?.DeletionProtection == true)
            {
                throw TableDeleter.Protected(replaced.TableName);
            }
        }

        return new CopyChecks(source, null, wanted, replaced);
    }

    /// <summary>
    /// Describes the source (which must exist and be ACTIVE) and the destination (null when it does not exist), and
    /// refuses a destination that is the source table itself: compared by what the tables are (see
    /// <see cref="TableInfo.Identity"/>), not by how the flags spell the endpoints.
    /// </summary>
    public static async Task<(TableInfo Source, TableInfo? Destination)> DescribeBothAsync(IAmazonDynamoDB sourceClient,
        IAmazonDynamoDB destinationClient, CopySettings settings, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var retry = PreflightRetry(timeProvider);
        var sourceTask = DescribeAsync(sourceClient, settings.SourceTable, "source", settings.Source, retry, cancellationToken);
        var destinationTask = DescribeIfExistsAsync(destinationClient, settings.DestinationTable, settings.Destination, retry, cancellationToken);
        var source = await sourceTask;
        var destination = await destinationTask;
        if (destination is not null && SameTable(source, settings.Source, destination, settings.Destination))
        {
            throw new DdbCopyException(FailureKind.Usage,
                $"The source and destination are the same table ('{settings.SourceTable}' at {settings.Source} is '{settings.DestinationTable}' at {settings.Destination}): nothing was changed.");
        }

        return (source, destination);
    }

    /// <summary>
    /// The same table: by identity when the server gives one; otherwise (no ARN) by name at the same endpoint, with
    /// loopback names (localhost, 127.0.0.1, [::1]) taken as one host.
    /// </summary>
    private static bool SameTable(TableInfo source, SideSpec sourceSide, TableInfo destination, SideSpec destinationSide)
    {
        if (source.Identity is not null && destination.Identity is not null)
        {
            return source.Identity == destination.Identity;
        }

        return source.Name == destination.Name && Where(sourceSide) == Where(destinationSide);

        static string Where(SideSpec side) => side.Endpoint.ServiceUrl is { } url
            ? $"{url.Scheme}://{(side.Endpoint.IsLocal ? "loopback" : url.Host.ToLowerInvariant())}:{url.Port}"
            : $"region:{side.Endpoint.Region}";
    }

    /// <summary>Describes the destination table, or null when it does not exist; every other failure is a one-line error.</summary>
    public static Task<TableInfo?> DescribeDestinationIfExistsAsync(IAmazonDynamoDB client, string table, SideSpec where, TimeProvider timeProvider,
        CancellationToken cancellationToken) =>
        DescribeIfExistsAsync(client, table, where, PreflightRetry(timeProvider), cancellationToken);

    private static async Task<TableInfo?> DescribeIfExistsAsync(IAmazonDynamoDB client, string table, SideSpec where, Polly.ResiliencePipeline retry,
        CancellationToken cancellationToken)
    {
        try
        {
            return await DescribeAsync(client, table, "destination", where, retry, cancellationToken, anyStatus: true);
        }
        catch (DdbCopyException ex) when (ex.InnerException is ResourceNotFoundException)
        {
            return null;
        }
    }

    public static void CheckKeysMatch(TableInfo source, TableInfo destination, Shaping.ShapeSettings? shape = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (shape is { Renames.Count: > 0 })
        {
            // --renameAttribute of a key attribute (with --allowKeyChanges): the destination's key has the new name.
            source = source with { Key = source.Key.Select(k => k with { Name = shape.WrittenNameOf(k.Name) }).ToList() };
        }

        if (!source.Key.SequenceEqual(destination.Key))
        {
            throw new DdbCopyException(FailureKind.Environment,
                $"The destination table '{destination.Name}' has key [{destination.DescribeKey()}] but the source '{source.Name}' has key [{source.DescribeKey()}]: its items would be rejected, so nothing was copied.");
        }
    }

    /// <summary>The Scan's filter, asked of DynamoDB on the source (see <see cref="Sources.ScanFilter.CheckWithDynamoDbAsync"/>).</summary>
    public static Task CheckFilterAsync(IAmazonDynamoDB sourceClient, CopySettings settings, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Shape.ScanFilter() is { } filter
            ? filter.CheckWithDynamoDbAsync(sourceClient, settings.SourceTable, PreflightRetry(timeProvider), cancellationToken)
            : Task.CompletedTask;
    }

    /// <summary>Describes one table, turning every failure into a one-line <see cref="DdbCopyException"/>.</summary>
    public static Task<TableInfo> DescribeTableAsync(IAmazonDynamoDB client, string table, string side, SideSpec where,
        TimeProvider timeProvider, CancellationToken cancellationToken) =>
        DescribeAsync(client, table, side, where, PreflightRetry(timeProvider), cancellationToken);

    private static Polly.ResiliencePipeline PreflightRetry(TimeProvider timeProvider) => ControlPlane.Pipeline(timeProvider);

    private static async Task<TableInfo> DescribeAsync(IAmazonDynamoDB client, string table, string side, SideSpec where,
        Polly.ResiliencePipeline retry, CancellationToken cancellationToken, bool anyStatus = false)
    {
        TableDescription description;
        try
        {
            var response = await retry.ExecuteAsync(
                async ct => await client.DescribeTableAsync(new DescribeTableRequest { TableName = table }, ct), cancellationToken);
            description = response.Table;
        }
        catch (ResourceNotFoundException ex)
        {
            throw new DdbCopyException(FailureKind.Environment, $"The {side} table '{table}' does not exist at {where}.", ex);
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode is { } code && AccessCodes.Contains(code))
        {
            throw new DdbCopyException(FailureKind.Environment, $"Access to the {side} table '{table}' at {where} was denied: {ErrorText.Describe(ex)}", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var what = ErrorClassifier.IsNetworkFailure(ex) ? $"Cannot reach the {side} endpoint {where}" : $"Cannot read the {side} table '{table}' at {where}";
            throw new DdbCopyException(FailureKind.Environment, $"{what}: {ErrorText.Describe(ex)}", ex);
        }

        var status = description.TableStatus?.Value;
        if (!anyStatus && status is not ("ACTIVE" or "UPDATING"))
        {
            throw new DdbCopyException(FailureKind.Environment, $"The {side} table '{table}' is {status}, not ACTIVE.");
        }

        return TableInspector.FromDescription(description);
    }
}
