using Amazon.DynamoDBv2.Model;
using System.Text;

namespace DdbCopy.Core.Engine;

/// <summary>
/// One change of an item, as a stream records it.
/// </summary>
/// <param name="EventName">INSERT, MODIFY or REMOVE.</param>
/// <param name="Created">ApproximateCreationDateTime (whole seconds on DynamoDB Local).</param>
/// <param name="NewImage">The item after the change (null for REMOVE, or when the stream keeps no new images).</param>
/// <param name="OldImage">The item before it (NEW_AND_OLD_IMAGES only; null for INSERT).</param>
public sealed record ChangeRecord(string SequenceNumber, string EventName, DateTimeOffset Created, Dictionary<string, AttributeValue> Keys,
    Dictionary<string, AttributeValue>? NewImage, Dictionary<string, AttributeValue>? OldImage, long SizeBytes)
{
    public bool IsRemove => EventName == "REMOVE";

    /// <summary>A key as text (for lanes and messages; key values are identifiers, not item contents).</summary>
    public static string KeyText(Dictionary<string, AttributeValue> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var text = new StringBuilder();
        foreach (var (name, value) in keys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append('=')
                .Append(value.S ?? value.N ?? (value.B is not null ? Convert.ToBase64String(value.B.ToArray()) : "?")).Append(' ');
        }

        return text.ToString().TrimEnd();
    }
}
