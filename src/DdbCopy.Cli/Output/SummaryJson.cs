using System.Text.Json.Serialization;

namespace DdbCopy.Cli.Output;

/// <summary>The JSON shape of the final summary (stable field names: scripts depend on them).</summary>
internal sealed record SummaryJson(
    string? SourceTable,
    string? DestinationTable,
    long Scanned,
    long Written,
    long Failed,
    long DeadLettered,
    string? DeadLetterFile,
    long Rejected,
    string? RejectFile,
    long Unconfirmed,
    long Retries,
    long ThrottledRequests,
    double DurationSeconds,
    double ConsumedReadCapacity,
    double ConsumedWriteCapacity,
    bool Complete,
    bool Interrupted,
    string? Error,
    int ExitCode,
    long Resumed = 0,
    string? CheckpointFile = null,
    double? ReadRateMean = null,
    double? ReadRatePeak = null,
    double? WriteRateMean = null,
    double? WriteRatePeak = null,
    long? StreamRecords = null,
    long? Applied = null,
    long? SkippedOlder = null,
    long? StreamDeadLettered = null,
    double? LagSeconds = null,
    bool? CaughtUp = null,
    long Filtered = 0,
    long? TransformIn = null,
    long? TransformOut = null,
    string? LimitedBy = null,
    IReadOnlyDictionary<string, double>? LimitedByShares = null)
{
    /// <summary>--binlog: transactions whose changes are all applied.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Transactions { get; init; }

    /// <summary>--binlog: row changes of the table read from the binary log.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? BinlogRows { get; init; }

    /// <summary>--binlog: the position (file:offset) after the last applied transaction: --resume goes on from it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BinlogPosition { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(SummaryJson))]
internal sealed partial class SummaryJsonContext : JsonSerializerContext;
