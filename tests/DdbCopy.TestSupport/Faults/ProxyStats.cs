using System.Collections.Concurrent;

namespace DdbCopy.TestSupport.Faults;

/// <summary>What the proxy saw and did, for assertions.</summary>
public sealed class ProxyStats
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>Requests by operation ("BatchWriteItem") and faults by kind ("throttled:BatchWriteItem", "reset", "500", "partial", "hotkey", "capacity:BatchWriteItem"), and items returned by Scan ("items:Scan").</summary>
    public int this[string name] => _counts.GetValueOrDefault(name);

    /// <summary>All counts whose name starts with <paramref name="prefix"/> ("throttled:" counts every throttled call).</summary>
    public int Sum(string prefix) => _counts.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(kv => kv.Value);

    public void Add(string name, int count = 1) => _counts.AddOrUpdate(name, count, (_, c) => c + count);

    public override string ToString() => string.Join(", ", _counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
}
