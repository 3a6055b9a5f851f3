using System.Text.RegularExpressions;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Sources.DynamoDb;

/// <summary>
/// A filter for the Scan request: the expression and only the placeholders it uses (DynamoDB refuses names or values
/// a request does not use, and the names may also serve the projection, which is applied on this side).
/// </summary>
public sealed partial record ScanFilter(string Expression, IReadOnlyDictionary<string, string> Names, IReadOnlyDictionary<string, AttributeValue> Values)
{
    /// <summary>The Scan's filter of <paramref name="expression"/> with the placeholders it uses, or null without one.</summary>
    public static ScanFilter? Of(string? expression, IReadOnlyDictionary<string, string>? names, IReadOnlyDictionary<string, AttributeValue>? values)
    {
        if (expression is null)
        {
            return null;
        }

        var used = Placeholders().Matches(expression).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        return new ScanFilter(
            expression,
            (names ?? new Dictionary<string, string>()).Where(kv => used.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            (values ?? new Dictionary<string, AttributeValue>()).Where(kv => used.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
    }

    /// <summary>
    /// Asks DynamoDB whether it takes this filter, with a Scan of one item of <paramref name="table"/> (half a read unit):
    /// what it refuses (a reserved word, bounds out of order, an unknown type name) is refused before anything changes,
    /// in a dry run too. Other failures are left to the job, which reports them where they happen.
    /// </summary>
    /// <exception cref="Aws.DdbCopyException">A usage error with DynamoDB's reason.</exception>
    public async Task CheckWithDynamoDbAsync(Amazon.DynamoDBv2.IAmazonDynamoDB client, string table, Polly.ResiliencePipeline retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retry);
        var reader = new DynamoDbScanPageReader(client, table, consistentRead: false, this);
        try
        {
            await retry.ExecuteAsync(async ct => await reader.ScanAsync(0, 1, null, 1, ct), cancellationToken);
        }
        catch (Amazon.DynamoDBv2.AmazonDynamoDBException ex) when (ex.ErrorCode == "ValidationException")
        {
            throw new Aws.DdbCopyException(Aws.FailureKind.Usage, $"--filterExpression is refused by DynamoDB: {ex.Message} Nothing was changed.", ex);
        }
        catch (Exception ex) when (ex is Amazon.Runtime.AmazonServiceException or HttpRequestException or IOException)
        {
            // Access, reachability and the like: the job meets them again and says so in its own words.
        }
    }

    [GeneratedRegex("[#:][A-Za-z0-9_]+")]
    private static partial Regex Placeholders();
}
