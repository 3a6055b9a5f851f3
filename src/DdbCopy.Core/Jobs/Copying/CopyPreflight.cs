using Amazon.DynamoDBv2;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Schema;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Jobs.Copying;

/// <summary>Checks everything that can be checked before the first write: both tables exist, are usable and share a key schema.</summary>
public static class CopyPreflight
{
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

        var wanted = await CopyDefinitions.WantedAsync(sourceClient, settings, logger, cancellationToken);
        CheckKeysMatch(source, TableInspector.FromDefinition(wanted), settings.Shape);
        TableDefinition? replaced = null;
        if (destination is not null)
        {
            replaced = await CopyDefinitions.ReadDestinationAsync(destinationClient, settings, logger, cancellationToken);
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
        var retry = ControlPlane.Pipeline(timeProvider);
        var sourceTask = TableDescriber.DescribeAsync(sourceClient, settings.SourceTable, "source", settings.Source, retry, cancellationToken);
        var destinationTask = TableDescriber.DescribeIfExistsAsync(destinationClient, settings.DestinationTable, settings.Destination, retry, cancellationToken);
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

    public static void CheckKeysMatch(TableInfo source, TableInfo destination, Shaping.ShapeSettings? shape = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (shape is { Renames.Count: > 0 })
        {
            // --renameAttribute of a key attribute (with --allowKeyChanges): the destination's key has the new name.
            source = source with { Key = source.Key.Select(k => k with { Name = shape.WrittenNameOf(k.Name) }).ToList() };
        }

        TableDescriber.CheckSameKey(source, destination);
    }

    /// <summary>The Scan's filter, asked of DynamoDB on the source (see <see cref="Sources.DynamoDb.ScanFilter.CheckWithDynamoDbAsync"/>).</summary>
    public static Task CheckFilterAsync(IAmazonDynamoDB sourceClient, CopySettings settings, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Shape.ScanFilter() is { } filter
            ? filter.CheckWithDynamoDbAsync(sourceClient, settings.SourceTable, ControlPlane.Pipeline(timeProvider), cancellationToken)
            : Task.CompletedTask;
    }
}
