using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Aws;

/// <summary>The table names of one side, for shell completion (opt-in: it calls ListTables with the user's credentials).</summary>
public static class TableNames
{
    /// <summary>At most <paramref name="limit"/> names, every page of ListTables until then, in DynamoDB's (alphabetical) order.</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(IAmazonDynamoDB client, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var names = new List<string>();
        string? start = null;
        do
        {
            var page = await client.ListTablesAsync(new ListTablesRequest { ExclusiveStartTableName = start, Limit = 100 }, cancellationToken)
                .ConfigureAwait(false);
            names.AddRange(page.TableNames ?? []);
            start = page.LastEvaluatedTableName;
        }
        while (start is not null && names.Count < limit);

        return names.Count > limit ? names[..limit] : names;
    }
}
