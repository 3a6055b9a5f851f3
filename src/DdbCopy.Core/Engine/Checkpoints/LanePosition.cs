using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Engine.Checkpoints;

/// <summary>
/// How far one lane of a job's input is settled: a scan segment up to the last key of its last settled page, or the
/// files of an import up to a record's line. <see cref="Done"/> when the lane was read and settled to its end.
/// </summary>
/// <param name="Lane">The scan segment, or 0 for the files of an import.</param>
/// <param name="LastKey">Scan: continue after this key (null: from the segment's start, or nothing left when done).</param>
/// <param name="File">Import: the file (its name in the input folder) of the last settled record.</param>
/// <param name="Line">Import: the line the last settled record of <see cref="File"/> starts on.</param>
public sealed record LanePosition(int Lane, bool Done = false, Dictionary<string, AttributeValue>? LastKey = null, string? File = null,
    long Line = 0)
{
    public static LanePosition Start(int lane) => new(lane);

    /// <summary>After a scan page: where the next page starts, or done when the segment has no more.</summary>
    public static LanePosition AfterPage(int segment, Dictionary<string, AttributeValue>? lastEvaluatedKey) =>
        new(segment, lastEvaluatedKey is null, lastEvaluatedKey);

    public static LanePosition AfterRecord(string file, long line) => new(0, File: file, Line: line);
}
