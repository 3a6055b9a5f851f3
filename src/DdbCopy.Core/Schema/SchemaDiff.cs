using System.Globalization;

namespace DdbCopy.Core.Schema;

/// <summary>
/// Compares two definitions as sets of facts ("billing mode", "index by-n: keys", ...), ignoring the table names and
/// the order of lists. Parts one side could not read (tags, PITR on DynamoDB Local) are not compared.
/// </summary>
public static class SchemaDiff
{
    /// <summary>One line per difference, e.g. <c>~ billing mode: PROVISIONED -> PAY_PER_REQUEST</c>; empty when equal.</summary>
    public static IReadOnlyList<string> Compare(TableDefinition source, TableDefinition destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var a = Facts(source, comparableWith: destination);
        var b = Facts(destination, comparableWith: source);
        var lines = new List<string>();
        foreach (var name in a.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
        {
            var left = a.GetValueOrDefault(name);
            var right = b.GetValueOrDefault(name);
            if (left == right)
            {
                continue;
            }

            lines.Add(left is null ? $"+ {name}: {right} (only in the destination)"
                : right is null ? $"- {name}: {left} (missing in the destination)"
                : $"~ {name}: {left} -> {right}");
        }

        return lines;
    }

    /// <summary>A one-line summary of a definition, for the log.</summary>
    public static string Describe(TableDefinition definition) =>
        string.Join("; ", Facts(definition, definition).Select(kv => $"{kv.Key}: {kv.Value}"));

    /// <summary>The facts of a definition, in a stable order.</summary>
    public static SortedDictionary<string, string> Facts(TableDefinition d, TableDefinition comparableWith)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(comparableWith);
        var types = d.AttributeDefinitions.ToDictionary(a => a.AttributeName, a => a.Type, StringComparer.Ordinal);
        string Keys(IEnumerable<KeyElement> keys) => string.Join(", ", keys.Select(k => $"{k.AttributeName} {k.KeyType} {types.GetValueOrDefault(k.AttributeName, "?")}"));
        static string Projection(Projection p) => p.NonKeyAttributes.Count == 0 ? p.ProjectionType : $"{p.ProjectionType} [{string.Join(", ", p.NonKeyAttributes)}]";
        static string Capacity(Throughput? t, OnDemandLimits? l) =>
            t is not null ? string.Create(CultureInfo.InvariantCulture, $"{t.ReadCapacityUnits} RCU, {t.WriteCapacityUnits} WCU")
            : l is not null ? string.Create(CultureInfo.InvariantCulture, $"on demand, max {l.MaxReadRequestUnits?.ToString(CultureInfo.InvariantCulture) ?? "-"} reads, {l.MaxWriteRequestUnits?.ToString(CultureInfo.InvariantCulture) ?? "-"} writes")
            : "on demand";

        var facts = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["key"] = Keys(d.KeySchema),
            ["billing mode"] = d.BillingMode,
            ["capacity"] = Capacity(d.ProvisionedThroughput, d.OnDemandThroughput),
            ["stream"] = d.StreamViewType ?? "off",
            ["table class"] = d.TableClass ?? "STANDARD",
            ["encryption"] = d.SseDescription is { } sse ? $"{sse.SseType} {sse.KmsMasterKeyArn}".Trim() : "AWS owned key",
            ["ttl"] = d.TimeToLiveAttribute ?? "off",
            ["deletion protection"] = d.DeletionProtection ? "on" : "off",
        };
        foreach (var g in d.GlobalSecondaryIndexes)
        {
            facts[$"global index {g.IndexName}"] = $"{Keys(g.KeySchema)}; {Projection(g.Projection)}; {Capacity(g.ProvisionedThroughput, g.OnDemandThroughput)}";
        }

        foreach (var l in d.LocalSecondaryIndexes)
        {
            facts[$"local index {l.IndexName}"] = $"{Keys(l.KeySchema)}; {Projection(l.Projection)}";
        }

        if (d.Tags is not null && comparableWith.Tags is not null)
        {
            facts["tags"] = string.Join(", ", d.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));
        }

        if (d.PointInTimeRecovery is { } pitr && comparableWith.PointInTimeRecovery is not null)
        {
            facts["point-in-time recovery"] = pitr ? "on" : "off";
        }

        return facts;
    }
}
