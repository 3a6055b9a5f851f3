using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Schema;

/// <summary>
/// --createDestination: create the destination from the source's definition (or a schema file) when it does not exist.
/// --recreateDestination: delete it first (never with deletion protection on), then create it.
/// </summary>
public static class DestinationCreator
{

    /// <summary>Creates <paramref name="wanted"/>, deleting <paramref name="existing"/> first when given (--recreateDestination).</summary>
    /// <returns>The definition it created, to finish with <see cref="FinishAsync"/> after the copy.</returns>
    public static async Task<TableDefinition> CreateAsync(IAmazonDynamoDB client, TableDefinition wanted, TableDefinition? existing, SideSpec where,
        TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            if (existing is not null)
            {
                await new TableDeleter(client, timeProvider, logger).DeleteAsync(existing, cancellationToken);
            }

            await new TableCreator(client, timeProvider, logger).CreateAsync(wanted, cancellationToken);
            return wanted;
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DdbCopyException))
        {
            throw new DdbCopyException(FailureKind.Environment,
                $"Cannot {(existing is null ? "create" : "recreate")} the destination table '{wanted.TableName}' at {where}: {ErrorText.Describe(ex)}", ex);
        }
    }

    /// <summary>
    /// After the copy, also after a failure or Ctrl+C: enables the stream, TTL and point-in-time recovery of a table
    /// it created. Never throws: a failure is logged with what to enable by hand.
    /// </summary>
    public static async Task FinishAsync(IAmazonDynamoDB destinationClient, TableDefinition created, TimeProvider timeProvider, ILogger logger)
    {
        try
        {
            await new TableCreator(destinationClient, timeProvider, logger).FinishAsync(created, CancellationToken.None);
        }
        catch (Exception ex)
        {
            Log.FinishFailed(logger, created.TableName, ErrorText.Describe(ex), SchemaDiff.Describe(created));
        }
    }

    /// <summary>A table's whole definition, or null when it does not exist; every other failure is a one-line error.</summary>
    public static async Task<TableDefinition?> ReadDefinitionAsync(IAmazonDynamoDB client, string table, string side, SideSpec where, ILogger logger,
        CancellationToken cancellationToken)
    {
        try
        {
            return await TableDefinitionReader.ReadAsync(client, table, logger, cancellationToken);
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new DdbCopyException(FailureKind.Environment, $"Cannot read the definition of the {side} table '{table}' at {where}: {ErrorText.Describe(ex)}", ex);
        }
    }
}
