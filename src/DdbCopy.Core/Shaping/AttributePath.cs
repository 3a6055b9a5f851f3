using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Shaping;

/// <summary>
/// A document path as DynamoDB expressions write it: <c>a.b[2].c</c>, where any name may be a <c>#placeholder</c>
/// from the expression attribute names. A step is a map member (a name) or a list element (an index).
/// </summary>
public sealed record AttributePath(IReadOnlyList<PathStep> Steps)
{
    public string Top => Steps[0].Name!;

    public bool IsTopLevel => Steps.Count == 1;

    /// <summary>The value at this path in <paramref name="item"/>, or null when the item has none there.</summary>
    public AttributeValue? Find(IReadOnlyDictionary<string, AttributeValue> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!item.TryGetValue(Top, out var value))
        {
            return null;
        }

        for (var i = 1; i < Steps.Count && value is not null; i++)
        {
            var step = Steps[i];
            value = step.Name is { } name
                ? value.M is { } map && map.TryGetValue(name, out var member) ? member : null
                : value.L is { } list && step.Index < list.Count ? list[step.Index] : null;
        }

        return value;
    }

    public override string ToString() => string.Concat(Steps.Select((s, i) => s.Name is { } n ? (i == 0 ? n : "." + n) : $"[{s.Index}]"));

    /// <summary>Parses a path; <paramref name="names"/> resolves <c>#placeholders</c>.</summary>
    /// <exception cref="FormatException">Not a path, or a placeholder with no name.</exception>
    public static AttributePath Parse(string text, IReadOnlyDictionary<string, string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new ExpressionTokens(text);
        var path = reader.ReadPath(names);
        if (!reader.AtEnd)
        {
            throw new FormatException($"'{text}' is not an attribute path (unexpected '{reader.Rest}')");
        }

        return path;
    }
}

/// <summary>One step of an <see cref="AttributePath"/>: a map member by name, or a list element by index.</summary>
public readonly record struct PathStep(string? Name, int Index)
{
    public static PathStep Member(string name) => new(name, -1);

    public static PathStep Element(int index) => new(null, index);
}
