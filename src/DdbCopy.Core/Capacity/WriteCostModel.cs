using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Items;
using DdbCopy.Core.Schema;

namespace DdbCopy.Core.Capacity;

/// <summary>
/// How many units of the write budget a batch costs. Writes to a table with global secondary indexes also
/// write each index an item has the keys of.
/// </summary>
/// <remarks>
/// Two ways of counting:
/// <list type="bullet">
/// <item>Total: table and index units added up (an absolute --writeCapacityUnits budget: what the account is billed).</item>
/// <item>Per resource: the budget is a ratio of the table's WCU and every index must stay within the same ratio of
/// its own WCU, so a batch costs the largest of its table units and its index units scaled by table WCU / index WCU.
/// Spending that at ratio x table WCU keeps the table and each index within the ratio of their own capacity.</item>
/// </list>
/// </remarks>
public sealed class WriteCostModel
{
    private readonly IReadOnlyList<IndexInfo> _indexes;
    private readonly double[]? _indexWeights;

    private WriteCostModel(IReadOnlyList<IndexInfo> indexes, double[]? indexWeights)
    {
        _indexes = indexes;
        _indexWeights = indexWeights;
    }

    public bool IsPerResource => _indexWeights is not null;

    public static WriteCostModel Total(TableInfo destination) => new(destination.GlobalSecondaryIndexes, null);

    public static WriteCostModel PerResource(TableInfo destination)
    {
        var weights = destination.GlobalSecondaryIndexes
            .Select(i => i.WriteCapacityUnits > 0 ? (double)destination.WriteCapacityUnits / i.WriteCapacityUnits : 1)
            .ToArray();
        return new WriteCostModel(destination.GlobalSecondaryIndexes, weights);
    }

    /// <summary>An upper-bound estimate before sending: every index the item has keys for is written at full size.</summary>
    public double Estimate(IReadOnlyList<Dictionary<string, AttributeValue>> items, IReadOnlyList<int> sizes)
    {
        double table = 0;
        var perIndex = new double[_indexes.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var units = ItemSize.WriteUnits(sizes[i]);
            table += units;
            for (var x = 0; x < _indexes.Count; x++)
            {
                if (_indexes[x].KeyAttributeNames.All(items[i].ContainsKey))
                {
                    perIndex[x] += units;
                }
            }
        }

        return Combine(table, perIndex);
    }

    /// <summary>The cost of a finished request from the capacity the service reported.</summary>
    public double Actual(IEnumerable<ConsumedCapacity>? consumed)
    {
        double total = 0, table = 0;
        var perIndex = new double[_indexes.Count];
        foreach (var c in consumed ?? [])
        {
            total += c.CapacityUnits ?? 0;
            table += c.Table?.CapacityUnits ?? c.CapacityUnits ?? 0;
            foreach (var (name, capacity) in c.GlobalSecondaryIndexes ?? [])
            {
                var x = IndexOf(name);
                if (x >= 0)
                {
                    perIndex[x] += capacity.CapacityUnits ?? 0;
                }
            }
        }

        return _indexWeights is null ? total : Combine(table, perIndex);
    }

    private double Combine(double table, double[] perIndex)
    {
        if (_indexWeights is null)
        {
            return table + perIndex.Sum();
        }

        var max = table;
        for (var x = 0; x < perIndex.Length; x++)
        {
            max = Math.Max(max, perIndex[x] * _indexWeights[x]);
        }

        return max;
    }

    private int IndexOf(string name)
    {
        for (var x = 0; x < _indexes.Count; x++)
        {
            if (_indexes[x].Name == name)
            {
                return x;
            }
        }

        return -1;
    }
}
