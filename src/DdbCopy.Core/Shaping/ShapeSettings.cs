using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Shaping;

/// <summary>
/// What a job does to items between reading and writing: a filter, a projection, dropped and renamed attributes,
/// masked values and a transform process. Paths name the source's attributes; the order is filter, projection, drop,
/// mask, rename, then the transform.
/// </summary>
public sealed record ShapeSettings
{
    public static ShapeSettings None { get; } = new();

    /// <summary>--filterExpression: only items it matches are written (the Scan applies it on a table).</summary>
    public string? FilterExpression { get; init; }

    /// <summary>--expressionAttributeNames: #placeholders of the filter and the projection.</summary>
    public IReadOnlyDictionary<string, string>? Names { get; init; }

    /// <summary>--expressionAttributeValues: :placeholders of the filter.</summary>
    public IReadOnlyDictionary<string, AttributeValue>? Values { get; init; }

    /// <summary>--projectionExpression: only these paths are kept (the key attributes always are).</summary>
    public string? ProjectionExpression { get; init; }

    public IReadOnlyList<string> DropAttributes { get; init; } = [];

    public IReadOnlyList<AttributeRename> Renames { get; init; } = [];

    public IReadOnlyList<string> MaskPaths { get; init; } = [];

    /// <summary>The masking key (from DDBCOPY_MASK_KEY or --maskKeyFile): never logged, never saved.</summary>
    public byte[]? MaskKey { get; init; }

    /// <summary>--allowKeyChanges: key attributes may be dropped, renamed or masked.</summary>
    public bool AllowKeyChanges { get; init; }

    /// <summary>--transform: a command that turns item lines into item lines.</summary>
    public string? Transform { get; init; }

    /// <summary>--transformErrors reject: a bad output line is rejected instead of stopping the run.</summary>
    public bool RejectTransformErrors { get; init; }

    /// <summary>True when anything is asked for.</summary>
    /// <summary>The Scan's filter (the expression and only the placeholders it uses), or null without one.</summary>
    public Sources.DynamoDb.ScanFilter? ScanFilter() => Sources.DynamoDb.ScanFilter.Of(FilterExpression, Names, Values);

    public bool Any => FilterExpression is not null || ChangesItems;

    /// <summary>
    /// What is done to items, for the log and a checkpoint's job identity (a resumed job must shape as the first run
    /// did): expressions with their placeholders' names, and of the masking key only a fingerprint.
    /// </summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (FilterExpression is { } filter)
        {
            parts.Add($"filter {filter}{Placeholders()}");
        }

        if (ProjectionExpression is { } projection)
        {
            parts.Add($"projection {projection}");
        }

        if (DropAttributes.Count > 0)
        {
            parts.Add($"drop {string.Join(",", DropAttributes)}");
        }

        if (MaskPaths.Count > 0)
        {
            var fingerprint = MaskKey is null ? "none" : new ItemMasker(MaskKey, []).KeyFingerprint;
            parts.Add($"mask {string.Join(",", MaskPaths)} (key {fingerprint})");
        }

        if (Renames.Count > 0)
        {
            parts.Add($"rename {string.Join(",", Renames.Select(r => $"{r.From}={r.To}"))}");
        }

        if (Transform is { } command)
        {
            parts.Add($"transform '{command}'{(RejectTransformErrors ? " (bad lines rejected)" : "")}");
        }

        return string.Join("; ", parts);
    }

    private string Placeholders()
    {
        var names = Names is { Count: > 0 } n ? string.Join(",", n.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")) : "";
        var values = Values is { Count: > 0 } v
            ? string.Join(",", v.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={Formats.DynamoDbJson.ToJsonLine(new Dictionary<string, AttributeValue> { ["v"] = kv.Value })}"))
            : "";
        return names.Length + values.Length == 0 ? "" : $" [{names}{(names.Length > 0 && values.Length > 0 ? "; " : "")}{values}]";
    }

    /// <summary>The name a written attribute had in the source (the renames undone).</summary>
    public string SourceNameOf(string written) => Renames.FirstOrDefault(r => r.To == written)?.From ?? written;

    /// <summary>The name a source attribute has when written (the renames applied).</summary>
    public string WrittenNameOf(string source) => Renames.FirstOrDefault(r => r.From == source)?.To ?? source;

    /// <summary>True when written items differ from the read ones (not only fewer).</summary>
    public bool ChangesItems => ProjectionExpression is not null || DropAttributes.Count > 0 || Renames.Count > 0 || MaskPaths.Count > 0 || Transform is not null;
}

/// <summary>--renameAttribute old=new.</summary>
public sealed record AttributeRename(string From, string To);
