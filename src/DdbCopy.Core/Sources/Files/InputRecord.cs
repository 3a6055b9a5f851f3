using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Sources.Files;

/// <summary>One record of an input file: an item, or the reason the record is not one.</summary>
/// <param name="Line">Where the record starts (1-based).</param>
/// <param name="Text">The record as read, for the reject file.</param>
public readonly record struct InputRecord(long Line, Dictionary<string, AttributeValue>? Item, string? Error, string Text)
{
    public static InputRecord Of(long line, Dictionary<string, AttributeValue> item, string text) => new(line, item, null, text);

    public static InputRecord Rejected(long line, string error, string text) => new(line, null, error, text);
}

/// <summary>Turns a decompressed input file into records.</summary>
public interface IItemReader
{
    IAsyncEnumerable<InputRecord> ReadAsync(TextReader input, CancellationToken cancellationToken);
}
