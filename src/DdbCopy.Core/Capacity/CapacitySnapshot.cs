using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Capacity;

/// <summary>A table's provisioned capacity and its global indexes', to restore after a boost.</summary>
public sealed record CapacitySnapshot(long ReadCapacityUnits, long WriteCapacityUnits, IReadOnlyDictionary<string, (long Read, long Write)> Indexes)
{
    public static CapacitySnapshot Of(TableDescription table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new CapacitySnapshot(
            table.ProvisionedThroughput?.ReadCapacityUnits ?? 0,
            table.ProvisionedThroughput?.WriteCapacityUnits ?? 0,
            (table.GlobalSecondaryIndexes ?? []).ToDictionary(
                g => g.IndexName,
                g => (g.ProvisionedThroughput?.ReadCapacityUnits ?? 0, g.ProvisionedThroughput?.WriteCapacityUnits ?? 0),
                StringComparer.Ordinal));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{ReadCapacityUnits} RCU / {WriteCapacityUnits} WCU") + string.Concat(Indexes.OrderBy(i => i.Key, StringComparer.Ordinal)
            .Select(i => string.Create(CultureInfo.InvariantCulture, $", index {i.Key} {i.Value.Read} RCU / {i.Value.Write} WCU")));
}
