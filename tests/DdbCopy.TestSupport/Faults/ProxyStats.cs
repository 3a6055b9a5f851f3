using System.Collections.Concurrent;

namespace DdbCopy.TestSupport.Faults;

/// <summary>What the proxy saw and did, for assertions.</summary>
public sealed class ProxyStats
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>Requests by operation ("BatchWriteItem") and faults by kind ("throttled:BatchWriteItem", "reset", "500", "partial", "hotkey", "capacity:BatchWriteItem").</summary>
    public int this[string name] => _counts.GetValueOrDefault(name);

    public void Add(string name, int count = 1) => _counts.AddOrUpdate(name, count, (_, c) => c + count);

    public override string ToString() => string.Join(", ", _counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
}
