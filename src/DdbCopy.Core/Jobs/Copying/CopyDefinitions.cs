using Amazon.DynamoDBv2;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Schema;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Jobs.Copying;

/// <summary>The definitions a copy compares and creates: the destination it wants (the source's, or --schemaFile's, with the overrides), and the one it has.</summary>
internal static class CopyDefinitions
{
    /// <summary>What the destination would be created as: the source's definition (or the schema file's) with the overrides.</summary>
    public static async Task<TableDefinition> WantedAsync(IAmazonDynamoDB sourceClient, CopySettings settings, ILogger logger, CancellationToken cancellationToken)
    {
        var definition = settings.SchemaFile is { } file
            ? await SchemaFiles.LoadAsync(file, settings.S3, cancellationToken)
            : await DestinationCreator.ReadDefinitionAsync(sourceClient, settings.SourceTable, "source", settings.Source, logger, cancellationToken)
              ?? throw new DdbCopyException(FailureKind.Environment, $"The source table '{settings.SourceTable}' does not exist at {settings.Source}.");
        return settings.Overrides.Apply(definition, settings.DestinationTable);
    }

    /// <summary>The destination's definition, or null when it does not exist.</summary>
    public static Task<TableDefinition?> ReadDestinationAsync(IAmazonDynamoDB client, CopySettings settings, ILogger logger, CancellationToken cancellationToken) =>
        DestinationCreator.ReadDefinitionAsync(client, settings.DestinationTable, "destination", settings.Destination, logger, cancellationToken);
}
