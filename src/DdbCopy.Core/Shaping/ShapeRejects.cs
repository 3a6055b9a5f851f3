using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Formats;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Shaping;

/// <summary>
/// Items or transform output that cannot be written as asked (a rename into a name the item has, a transform line that
/// is not an item): logged with where they came from and recorded in the reject file, as an import does with bad lines.
/// </summary>
/// <param name="source">Where items came from when they have no file and line (the source table).</param>
public sealed class ShapeRejects(RejectFile file, string source, ILogger logger)
{
    public string Path => file.Path;

    public void Reject(Dictionary<string, AttributeValue> item, ItemOrigin? origin, string reason) =>
        Reject(origin?.File ?? source, origin?.Line ?? 0, reason, DynamoDbJson.ToJsonLine(item));

    /// <summary>Records an item or a transform's line: both come after the masking, so they are kept under --mask too.</summary>
    public void Reject(string where, long line, string reason, string text) => file.Record(logger, where, line, reason, text, masked: true);
}
