using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Schema;

/// <summary>`ddbcopy schema export` and `ddbcopy schema diff`: read definitions, change nothing.</summary>
public static class SchemaOperations
{
    public static async Task<TableDefinition> ExportAsync(SideSpec side, string table, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(side);
        using var client = DynamoDbClientFactory.Create(side, "source");
        return await ReadAsync(client, side, table, "source", logger, cancellationToken);
    }

    /// <returns>One line per difference; empty when the definitions match.</returns>
    public static async Task<IReadOnlyList<string>> DiffAsync(SideSpec source, string sourceTable, SideSpec destination, string destinationTable,
        ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        using var sourceClient = DynamoDbClientFactory.Create(source, "source");
        using var destinationClient = DynamoDbClientFactory.Create(destination, "destination");
        var a = await ReadAsync(sourceClient, source, sourceTable, "source", logger, cancellationToken);
        var b = await ReadAsync(destinationClient, destination, destinationTable, "destination", logger, cancellationToken);
        return SchemaDiff.Compare(a, b);
    }

    private static async Task<TableDefinition> ReadAsync(Amazon.DynamoDBv2.IAmazonDynamoDB client, SideSpec side, string table, string sideName,
        ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await TableDefinitionReader.ReadAsync(client, table, logger, cancellationToken);
        }
        catch (ResourceNotFoundException)
        {
            throw new DdbCopyException(FailureKind.Environment, $"The {sideName} table '{table}' does not exist at {side}.");
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DdbCopyException))
        {
            throw new DdbCopyException(FailureKind.Environment, $"Cannot read the {sideName} table '{table}' at {side}: {ErrorText.Describe(ex)}", ex);
        }
    }
}
