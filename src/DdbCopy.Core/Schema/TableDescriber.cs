using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using DdbCopy.Core.Aws;

namespace DdbCopy.Core.Schema;

/// <summary>Describes tables for the checks every job makes before its first write, each failure a one-line error.</summary>
public static class TableDescriber
{
    private static readonly HashSet<string> AccessCodes = new(StringComparer.Ordinal)
    {
        "AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException",
        "MissingAuthenticationTokenException", "IncompleteSignatureException", "InvalidClientTokenId", "AuthFailure",
    };

    /// <summary>Describes the destination table, or null when it does not exist; every other failure is a one-line error.</summary>
    public static Task<TableInfo?> DescribeDestinationIfExistsAsync(IAmazonDynamoDB client, string table, SideSpec where, TimeProvider timeProvider,
        CancellationToken cancellationToken) =>
        DescribeIfExistsAsync(client, table, where, PreflightRetry(timeProvider), cancellationToken);

    public static async Task<TableInfo?> DescribeIfExistsAsync(IAmazonDynamoDB client, string table, SideSpec where, Polly.ResiliencePipeline retry,
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

    /// <summary>Describes one table, turning every failure into a one-line <see cref="DdbCopyException"/>.</summary>
    public static Task<TableInfo> DescribeTableAsync(IAmazonDynamoDB client, string table, string side, SideSpec where,
        TimeProvider timeProvider, CancellationToken cancellationToken) =>
        DescribeAsync(client, table, side, where, PreflightRetry(timeProvider), cancellationToken);

    private static Polly.ResiliencePipeline PreflightRetry(TimeProvider timeProvider) => ControlPlane.Pipeline(timeProvider);

    public static async Task<TableInfo> DescribeAsync(IAmazonDynamoDB client, string table, string side, SideSpec where,
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

    /// <summary>The destination must have the source's key schema, else every item would be rejected.</summary>
    public static void CheckSameKey(TableInfo source, TableInfo destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (!source.Key.SequenceEqual(destination.Key))
        {
            throw new DdbCopyException(FailureKind.Environment,
                $"The destination table '{destination.Name}' has key [{destination.DescribeKey()}] but the source '{source.Name}' has key [{source.DescribeKey()}]: its items would be rejected, so nothing was copied.");
        }
    }
}
