using System.Text.RegularExpressions;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Shaping;

/// <summary>
/// A filter for the Scan request: the expression and only the placeholders it uses (DynamoDB refuses names or values
/// a request does not use, and the names may also serve the projection, which is applied on this side).
/// </summary>
public sealed partial record ScanFilter(string Expression, IReadOnlyDictionary<string, string> Names, IReadOnlyDictionary<string, AttributeValue> Values)
{
    /// <summary>The Scan's filter for <paramref name="settings"/>, or null without one.</summary>
    public static ScanFilter? Of(ShapeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.FilterExpression is not { } expression)
        {
            return null;
        }

        var used = Placeholders().Matches(expression).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        return new ScanFilter(
            expression,
            (settings.Names ?? new Dictionary<string, string>()).Where(kv => used.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            (settings.Values ?? new Dictionary<string, AttributeValue>()).Where(kv => used.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
    }

    [GeneratedRegex("[#:][A-Za-z0-9_]+")]
    private static partial Regex Placeholders();
}
