using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Errors;
using DdbCopy.Core.Schema;

namespace DdbCopy.Core.Copying;

/// <summary>Checks everything that can be checked before the first write: both tables exist, are usable and share a key schema.</summary>
public static class CopyPreflight
{
    private static readonly HashSet<string> AccessCodes = new(StringComparer.Ordinal)
    {
        "AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException",
        "MissingAuthenticationTokenException", "IncompleteSignatureException", "InvalidClientTokenId", "AuthFailure",
    };

    public static async Task<(TableInfo Source, TableInfo Destination)> CheckAsync(
        IAmazonDynamoDB sourceClient, IAmazonDynamoDB destinationClient, CopySettings settings, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.SourceTable == settings.DestinationTable && settings.Source == settings.Destination)
        {
            throw new DdbCopyException(FailureKind.Usage,
                $"The source and destination are the same table ('{settings.SourceTable}' at {settings.Source}).");
        }

        var retry = PreflightRetry(timeProvider);
        var sourceTask = DescribeAsync(sourceClient, settings.SourceTable, "source", settings.Source, retry, cancellationToken);
        var destinationTask = DescribeAsync(destinationClient, settings.DestinationTable, "destination", settings.Destination, retry, cancellationToken);
        var source = await sourceTask;
        var destination = await destinationTask;
        CheckKeysMatch(source, destination);
        return (source, destination);
    }

    public static void CheckKeysMatch(TableInfo source, TableInfo destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (!source.Key.SequenceEqual(destination.Key))
        {
            throw new DdbCopyException(FailureKind.Environment,
                $"The destination table '{destination.Name}' has key [{destination.DescribeKey()}] but the source '{source.Name}' has key [{source.DescribeKey()}]: its items would be rejected, so nothing was copied.");
        }
    }

    /// <summary>Describes one table, turning every failure into a one-line <see cref="DdbCopyException"/>.</summary>
    public static Task<TableInfo> DescribeTableAsync(IAmazonDynamoDB client, string table, string side, SideSpec where,
        TimeProvider timeProvider, CancellationToken cancellationToken) =>
        DescribeAsync(client, table, side, where, PreflightRetry(timeProvider), cancellationToken);

    private static Polly.ResiliencePipeline PreflightRetry(TimeProvider timeProvider) =>
        RetryPipelines.Create(2, timeProvider, baseDelay: TimeSpan.FromMilliseconds(200), maxDelay: TimeSpan.FromSeconds(1));

    private static async Task<TableInfo> DescribeAsync(IAmazonDynamoDB client, string table, string side, SideSpec where,
        Polly.ResiliencePipeline retry, CancellationToken cancellationToken)
    {
        TableDescription description;
        try
        {
            var response = await retry.ExecuteAsync(
                async ct => await client.DescribeTableAsync(new DescribeTableRequest { TableName = table }, ct), cancellationToken);
            description = response.Table;
        }
        catch (ResourceNotFoundException)
        {
            throw new DdbCopyException(FailureKind.Environment, $"The {side} table '{table}' does not exist at {where}.");
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
        if (status is not ("ACTIVE" or "UPDATING"))
        {
            throw new DdbCopyException(FailureKind.Environment, $"The {side} table '{table}' is {status}, not ACTIVE.");
        }

        return TableInspector.FromDescription(description);
    }
}
