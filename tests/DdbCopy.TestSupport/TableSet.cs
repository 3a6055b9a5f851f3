using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.TestSupport;

/// <summary>
/// The tables one test creates, deleted when it ends: DynamoDB Local enforces the account limit of 80,000
/// provisioned units, so a long test run must give its capacity back.
/// </summary>
public sealed class TableSet(IAmazonDynamoDB client) : IAsyncDisposable
{
    private readonly List<string> _names = [];

    /// <summary>Creates a uniquely named table (see <see cref="Tables.CreateAsync"/>) and returns its name.</summary>
    public async Task<string> CreateAsync(string prefix, string hashKey = "pk", string hashType = "S", string? rangeKey = null,
        long? readUnits = 1000, long? writeUnits = 1000, IReadOnlyList<GlobalSecondaryIndex>? indexes = null,
        IReadOnlyList<AttributeDefinition>? extraAttributes = null)
    {
        var name = Tables.UniqueName(prefix);
        lock (_names)
        {
            _names.Add(name);
        }

        await Tables.CreateAsync(client, name, hashKey, hashType, rangeKey, readUnits: readUnits, writeUnits: writeUnits,
            indexes: indexes, extraAttributes: extraAttributes);
        return name;
    }

    /// <summary>A unique name for a table the code under test creates; deleted with the others.</summary>
    public string Name(string prefix)
    {
        var name = Tables.UniqueName(prefix);
        lock (_names)
        {
            _names.Add(name);
        }

        return name;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _names)
        {
            try
            {
                await client.DeleteTableAsync(name);
            }
            catch (ResourceNotFoundException)
            {
            }
        }
    }
}
