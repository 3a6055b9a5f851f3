using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Schema;
using DdbCopy.Tests.Fakes;

namespace DdbCopy.Tests.Capacity;

public sealed class WriteCostModelTests
{
    private static readonly TableInfo WithIndexes = TestTables.Provisioned(10, 1000, indexes:
    [
        new IndexInfo("half", ["g1"], 500),
        new IndexInfo("full", ["g2", "r2"], 1000),
    ]);

    private static Dictionary<string, AttributeValue> Item(params string[] names) =>
        names.ToDictionary(n => n, _ => new AttributeValue { S = "v" });

    [Fact]
    public void Estimate_WithoutIndexes_IsOneUnitPerStartedKilobyte()
    {
        var model = WriteCostModel.PerResource(TestTables.Provisioned(10, 100));
        Assert.Equal(1 + 2 + 5, model.Estimate([Item("pk"), Item("pk"), Item("pk")], [100, 1025, 5000]));
    }

    [Fact]
    public void Estimate_PerResource_ScalesEachIndexByTableWcuOverIndexWcu()
    {
        var model = WriteCostModel.PerResource(WithIndexes);
        // Table: 2 units. "half" (500 WCU vs 1000) holds both items: 2 units x 2 = 4. "full" holds one: 1.
        var cost = model.Estimate([Item("pk", "g1"), Item("pk", "g1", "g2", "r2")], [10, 10]);
        Assert.Equal(4, cost);
    }

    [Fact]
    public void Estimate_Total_AddsTableAndIndexWrites()
    {
        var model = WriteCostModel.Total(WithIndexes);
        Assert.Equal(2 + 2 + 1, model.Estimate([Item("pk", "g1"), Item("pk", "g1", "g2", "r2")], [10, 10]));
    }

    [Fact]
    public void Actual_ReadsTableAndIndexCapacityFromTheResponse()
    {
        var consumed = new ConsumedCapacity
        {
            CapacityUnits = 9,
            Table = new Amazon.DynamoDBv2.Model.Capacity { CapacityUnits = 3 },
            GlobalSecondaryIndexes = new Dictionary<string, Amazon.DynamoDBv2.Model.Capacity>
            {
                ["half"] = new() { CapacityUnits = 4 },
                ["full"] = new() { CapacityUnits = 2 },
            },
        };

        Assert.Equal(8, WriteCostModel.PerResource(WithIndexes).Actual([consumed]));
        Assert.Equal(9, WriteCostModel.Total(WithIndexes).Actual([consumed]));
    }
}
