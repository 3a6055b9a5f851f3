using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Sources.MySql;
using MySqlConnector;

namespace DdbCopy.Tests.MySql;

public sealed class MySqlReadPlanTests
{
    private static readonly MySqlReadPlan Ranges = new("order lines", null, ["order_id", "line"], [100m, 200m], new HashSet<string>());

    [Fact]
    public void Command_OfEachRange_IsBoundedByTheSplitPointsAndOrderedByTheWholeKey()
    {
        using var connection = new MySqlConnection();

        Assert.Equal("SELECT * FROM `order lines` WHERE `order_id` < @high ORDER BY `order_id`, `line`", Ranges.Command(connection, 0, null).CommandText);
        Assert.Equal("SELECT * FROM `order lines` WHERE `order_id` >= @low AND `order_id` < @high ORDER BY `order_id`, `line`",
            Ranges.Command(connection, 1, null).CommandText);
        Assert.Equal("SELECT * FROM `order lines` WHERE `order_id` >= @low ORDER BY `order_id`, `line`", Ranges.Command(connection, 2, null).CommandText);
    }

    [Fact]
    public void Command_AfterASettledRow_ContinuesAfterItsWholeKey()
    {
        using var connection = new MySqlConnection();
        var after = new Dictionary<string, AttributeValue> { ["order_id"] = new() { N = "150" }, ["line"] = new() { N = "3" } };

        var command = Ranges.Command(connection, 1, after);

        Assert.EndsWith("AND (`order_id`, `line`) > (@after0, @after1) ORDER BY `order_id`, `line`", command.CommandText, StringComparison.Ordinal);
        Assert.Equal([150m, 3m], command.Parameters.Where(p => p.ParameterName.StartsWith("@after", StringComparison.Ordinal)).Select(p => p.Value));
    }

    [Fact]
    public void Describe_NamesTheSplitPoints_SoAResumedRunReadsTheSameRanges()
    {
        Assert.Equal("table order lines in ranges of order_id split at 100,200", Ranges.Describe());
        var query = new MySqlReadPlan(null, "SELECT 1", [], [], new HashSet<string>());
        Assert.Equal(1, query.RangeCount);
        Assert.False(query.Resumable);
        Assert.Equal("SELECT 1", query.Command(new MySqlConnection(), 0, null).CommandText);
    }
}
