using DdbCopy.Core.Engine;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Sources;
using DdbCopy.Core.Sources.MySql;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;
using DdbCopy.Tests.Conformance;
using Microsoft.Extensions.Logging.Abstractions;

namespace DdbCopy.IntegrationTests.Conformance;

/// <summary>
/// The rows of a MySQL/MariaDB table (a real server the fixture starts), through the suite every source runs (its
/// abstract classes are compiled in from the unit tests' Conformance folder). The rows' primary key is <c>id</c>, read
/// in key ranges (the lanes); the item's key is the column <c>pk</c>, NULL in the rows that are refused.
/// </summary>
public sealed class MySqlSourceConformance(MariaDbFixture mysql) : RefusingSourceConformance, IClassFixture<MariaDbFixture>
{
    private static readonly KeyAttribute[] ItemKey = [new("pk", "HASH", "S")];
    private readonly Dictionary<string, (MySqlDatabase Database, MySqlReadPlan Plan)> _tables = new(StringComparer.Ordinal);

    protected override IItemSource Create(int count) => CreateWithRefusals(count, new HashSet<int>());

    protected override IReadOnlyList<int> Lanes(int count) => Enumerable.Range(0, Table(count, new HashSet<int>()).Plan.RangeCount).ToList();

    protected override IItemSource CreateWithRefusals(int count, IReadOnlySet<int> refused)
    {
        var (database, plan) = Table(count, refused);
        return new MySqlRowSource(database, plan, new RowMapping(new CsvMapping()), ItemKey,
            new RejectFile(Path.Combine(Folder, $"rejects-{Guid.NewGuid():N}.jsonl")), keepNulls: false, failFast: false, NullLogger.Instance);
    }

    /// <summary>One database per input (made once, read by every run of a test): rows 0 to count - 1, as ConformanceHarness.Item makes them.</summary>
    private (MySqlDatabase Database, MySqlReadPlan Plan) Table(int count, IReadOnlySet<int> refused)
    {
        var id = $"{count}:{string.Join(",", refused.Order())}";
        if (!_tables.TryGetValue(id, out var table))
        {
            table = CreateTableAsync(count, refused).GetAwaiter().GetResult();
            _tables[id] = table;
        }

        return table;
    }

    private async Task<(MySqlDatabase, MySqlReadPlan)> CreateTableAsync(int count, IReadOnlySet<int> refused)
    {
        var name = await mysql.Server.CreateDatabaseAsync("conformance");
        await mysql.Server.ExecuteAsync(name, "CREATE TABLE items (id INT PRIMARY KEY, pk VARCHAR(20) NULL, n BIGINT, payload VARCHAR(300))");
        if (count > 0)
        {
            await mysql.Server.ExecuteAsync(name,
                $"INSERT INTO items SELECT seq, CONCAT('k', seq), seq, REPEAT('x', 200) FROM {MariaDbServer.Sequence(0, count - 1)}");
        }

        foreach (var row in refused)
        {
            await mysql.Server.ExecuteAsync(name, $"UPDATE items SET pk = NULL WHERE id = {row}");
        }

        var location = MySqlLocation.TryParseUrl(mysql.Server.Url(name), out var error) ?? throw new InvalidOperationException(error);
        var database = new MySqlDatabase(location, mysql.Server.Password);
        var described = await database.DescribeAsync("items", CancellationToken.None);
        return (database, await MySqlReadPlan.ForTableAsync(database, described, 4, null, CancellationToken.None));
    }
}
