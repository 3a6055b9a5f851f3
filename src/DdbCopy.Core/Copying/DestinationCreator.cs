using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Errors;
using DdbCopy.Core.Schema;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Copying;

/// <summary>--createDestination: when the destination does not exist, create it from the source's definition.</summary>
internal static class DestinationCreator
{
    public static async Task EnsureAsync(IAmazonDynamoDB sourceClient, IAmazonDynamoDB destinationClient, CopySettings settings,
        TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(destinationClient, settings, cancellationToken))
        {
            return;
        }

        var definition = settings.SchemaFile is { } file
            ? TableDefinitionJson.Load(file)
            : await ReadSourceAsync(sourceClient, settings, logger, cancellationToken);
        var wanted = settings.Overrides.Apply(definition, settings.DestinationTable);
        try
        {
            await new TableCreator(destinationClient, timeProvider, logger).CreateAsync(wanted, cancellationToken);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DdbCopyException))
        {
            throw new DdbCopyException(FailureKind.Environment,
                $"Cannot create the destination table '{settings.DestinationTable}' at {settings.Destination}: {ErrorText.Describe(ex)}", ex);
        }
    }

    private static async Task<bool> ExistsAsync(IAmazonDynamoDB client, CopySettings settings, CancellationToken cancellationToken)
    {
        try
        {
            await client.DescribeTableAsync(new DescribeTableRequest { TableName = settings.DestinationTable }, cancellationToken);
            return true;
        }
        catch (ResourceNotFoundException)
        {
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Preflight reports unreachable endpoints and denied access with its own messages.
            return true;
        }
    }

    private static async Task<TableDefinition> ReadSourceAsync(IAmazonDynamoDB client, CopySettings settings, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await TableDefinitionReader.ReadAsync(client, settings.SourceTable, logger, cancellationToken);
        }
        catch (ResourceNotFoundException)
        {
            throw new DdbCopyException(FailureKind.Environment, $"The source table '{settings.SourceTable}' does not exist at {settings.Source}.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new DdbCopyException(FailureKind.Environment,
                $"Cannot read the definition of the source table '{settings.SourceTable}' at {settings.Source}: {ErrorText.Describe(ex)}", ex);
        }
    }
}
