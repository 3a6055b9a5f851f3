using DdbCopy.Core.Schema;

namespace DdbCopy.Tests.Fakes;

/// <summary>TableInfo values for planner and cost tests.</summary>
internal static class TestTables
{
    public static TableInfo Provisioned(long rcu, long wcu, long items = 10_000, long bytes = 10_000_000, params IndexInfo[] indexes) =>
        new("t", [new KeyAttribute("pk", "HASH", "S")], false, rcu, wcu, null, null, indexes, items, bytes);

    public static TableInfo OnDemand(long? maxRead = null, long? maxWrite = null, params IndexInfo[] indexes) =>
        new("od", [new KeyAttribute("pk", "HASH", "S")], true, 0, 0, maxRead, maxWrite, indexes, 10_000, 10_000_000);
}
