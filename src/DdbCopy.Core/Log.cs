using Microsoft.Extensions.Logging;

namespace DdbCopy.Core;

/// <summary>Every log line the engine writes, with fixed event ids. Item contents and credentials are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Reading at {Units:0.##} RCU/s: {Reason}")]
    public static partial void ReadRate(ILogger logger, double units, string reason);

    [LoggerMessage(2, LogLevel.Information, "Writing at {Units:0.##} WCU/s: {Reason}")]
    public static partial void WriteRate(ILogger logger, double units, string reason);

    [LoggerMessage(3, LogLevel.Information, "Scanning {Mine} of {Total} segments; up to {Writers} writes in flight, as many as the write budget and the round trip need{PageNote}")]
    public static partial void Segments(ILogger logger, int mine, int total, int writers, string pageNote);

    [LoggerMessage(4, LogLevel.Warning, "Gave up on {Count} items after {MaxRetries} retries: {Reason}")]
    public static partial void WriteGaveUp(ILogger logger, int count, int maxRetries, string reason);

    [LoggerMessage(5, LogLevel.Warning, "Stop requested: no new pages are read; waiting for in-flight writes to finish (Ctrl+C again to stop at once)")]
    public static partial void GracefulStop(ILogger logger);

    [LoggerMessage(6, LogLevel.Error, "{Message}")]
    public static partial void Fatal(ILogger logger, string message);

    [LoggerMessage(7, LogLevel.Debug, "Retrying a {Operation} request after {Class} failure")]
    public static partial void Retrying(ILogger logger, string operation, string @class);

    [LoggerMessage(8, LogLevel.Information, "Source {Table} at {Side}: {Billing}, {ItemCount} items, {SizeBytes} bytes, key {Key}")]
    public static partial void SourceTable(ILogger logger, string table, string side, string billing, long itemCount, long sizeBytes, string key);

    [LoggerMessage(9, LogLevel.Information, "Destination {Table} at {Side}: {Billing}, {IndexCount} global indexes")]
    public static partial void DestinationTable(ILogger logger, string table, string side, string billing, int indexCount);

    [LoggerMessage(10, LogLevel.Warning, "{File}:{Line}: rejected: {Reason}")]
    public static partial void Rejected(ILogger logger, string file, long line, string reason);

    [LoggerMessage(11, LogLevel.Warning, "{Operation} is not supported by this server; {Table}'s definition is copied without it ({Reason})")]
    public static partial void Unsupported(ILogger logger, string operation, string table, string reason);

    [LoggerMessage(12, LogLevel.Information, "Creating {Table}: {Summary}")]
    public static partial void Creating(ILogger logger, string table, string summary);

    [LoggerMessage(13, LogLevel.Information, "{Table} is ACTIVE with all its indexes after {Seconds:0.0} s")]
    public static partial void Created(ILogger logger, string table, double seconds);

    [LoggerMessage(14, LogLevel.Information, "{Table}: {Setting} set after creation")]
    public static partial void SetAfterCreation(ILogger logger, string table, string setting);

    [LoggerMessage(15, LogLevel.Warning, "Deleting the destination table {Table} to recreate it (--recreateDestination)")]
    public static partial void Deleting(ILogger logger, string table);

    [LoggerMessage(16, LogLevel.Information, "{Table} is deleted after {Seconds:0.0} s")]
    public static partial void Deleted(ILogger logger, string table, double seconds);

    [LoggerMessage(17, LogLevel.Information, "Capacity of {Table}: {Change}")]
    public static partial void CapacityChanged(ILogger logger, string table, string change);

    [LoggerMessage(18, LogLevel.Warning, "{Message}")]
    public static partial void CapacityWarning(ILogger logger, string message);

    [LoggerMessage(19, LogLevel.Information, "{Side}: {Identity}")]
    public static partial void Identity(ILogger logger, string side, string identity);

    [LoggerMessage(20, LogLevel.Warning, "Could not finish creating {Table} ({Reason}): check its stream, TTL and point-in-time recovery against: {Definition}")]
    public static partial void FinishFailed(ILogger logger, string table, string reason, string definition);

    [LoggerMessage(21, LogLevel.Information, "Wrote {File}: {Items} items, {Bytes} bytes of JSON")]
    public static partial void DataFileWritten(ILogger logger, string file, long items, long bytes);

    [LoggerMessage(22, LogLevel.Information, "Exporting {Table} to {Root}: {Segments} segments, {Compression} data files")]
    public static partial void Exporting(ILogger logger, string table, string root, int segments, string compression);

    [LoggerMessage(23, LogLevel.Warning, "The export did not finish: no manifest was written under {Root}, so nothing will take it for a complete export; delete it and export again")]
    public static partial void NoManifest(ILogger logger, string root);

    [LoggerMessage(24, LogLevel.Information, "Wrote the manifests under {Root}: {Files} data files, {Items} items")]
    public static partial void ManifestWritten(ILogger logger, string root, int files, long items);

    [LoggerMessage(25, LogLevel.Information, "Importing {Files} files from {Root} ({Manifest})")]
    public static partial void ImportInput(ILogger logger, string root, int files, string manifest);

    [LoggerMessage(26, LogLevel.Information, "Checked {Files} data files against the manifest: checksums and counts match, {Items} items")]
    public static partial void Verified(ILogger logger, int files, long items);

    [LoggerMessage(27, LogLevel.Warning, "DynamoDB refused an item ({Reason}); it is in the dead-letter file {File} with the reason")]
    public static partial void ItemRefused(ILogger logger, string reason, string file);

    [LoggerMessage(28, LogLevel.Warning, "{Side} endpoint: {Operation} got no answer ({Reason}); {Count} requests in a row have failed so far")]
    public static partial void NoAnswer(ILogger logger, string side, string operation, string reason, int count);

    [LoggerMessage(29, LogLevel.Warning, "Stopping at once (a second Ctrl+C, or the drain timeout passed): requests in flight are cancelled and what they held goes to the dead-letter file")]
    public static partial void HardStop(ILogger logger);

    [LoggerMessage(30, LogLevel.Warning, "{Message} The job goes on, but a resume would start from the last checkpoint that was saved")]
    public static partial void CheckpointNotSaved(ILogger logger, string message);

    [LoggerMessage(31, LogLevel.Information, "Resuming from the checkpoint {Path} (run {Run}): {Items} items were settled by earlier runs; {Lanes} of {Total} lanes are done")]
    public static partial void Resuming(ILogger logger, string path, int run, long items, int lanes, int total);

    [LoggerMessage(32, LogLevel.Warning, "No checkpoint at {Path}: starting the job from the beginning")]
    public static partial void NoCheckpoint(ILogger logger, string path);

    [LoggerMessage(33, LogLevel.Warning, "The checkpoint {Path} of an unfinished run of this job is replaced: this run starts from the beginning (pass --resume to continue where it stopped)")]
    public static partial void CheckpointReplaced(ILogger logger, string path);

    [LoggerMessage(34, LogLevel.Information, "Checkpoint: {Path} (continue an interrupted run with --resume)")]
    public static partial void CheckpointAt(ILogger logger, string path);

    [LoggerMessage(35, LogLevel.Information, "The job in the checkpoint {Path} finished on {Finished}: nothing to resume ({Written} of {Scanned} items written). Delete the checkpoint to run the job again")]
    public static partial void AlreadyFinished(ILogger logger, string path, string finished, long written, long scanned);

    [LoggerMessage(36, LogLevel.Information, "Removed {Path} from the export: it was not committed when the earlier run stopped, and its items are read again")]
    public static partial void OrphanRemoved(ILogger logger, string path);

    [LoggerMessage(37, LogLevel.Information, "Verify reads all of '{Table}': about {Units:0} RCU for its ~{Items} items, at up to {Rate:0.#} RCU/s ({Reason})")]
    public static partial void VerifyReads(ILogger logger, string table, double units, long items, double rate, string reason);

    [LoggerMessage(38, LogLevel.Information, "Compared {Compared} source items with {DestinationItems} destination items: {Missing} missing, {Different} different, {Extra} extra")]
    public static partial void VerifyResult(ILogger logger, long compared, long destinationItems, long missing, long different, long extra);

    [LoggerMessage(39, LogLevel.Information, "Repairing: writing {Items} missing or different items from the source {Extra}")]
    public static partial void Repairing(ILogger logger, long items, string extra);

    [LoggerMessage(40, LogLevel.Information, "Generating {Items} items into '{Table}', about {Bytes} bytes each, {Kind} (seed {Seed}: --seed {Seed} repeats the run)")]
    public static partial void Generating(ILogger logger, long items, string table, int bytes, string kind, int seed);

    [LoggerMessage(41, LogLevel.Information, "Changing the table: {Updates} updates and {Deletes} deletes per second for {Seconds} s")]
    public static partial void Churning(ILogger logger, double updates, double deletes, double seconds);

    [LoggerMessage(42, LogLevel.Information, "This process copies section {Section} of {Sections} ({From}), with 1/{Sections} of the budget")]
    public static partial void Section(ILogger logger, int section, int sections, string from);

    [LoggerMessage(43, LogLevel.Information, "{Table} was created for a copy in {Sections} sections: its stream, TTL and point-in-time recovery are left to `ddbcopy finish`, to run once after every section ended")]
    public static partial void FinishLater(ILogger logger, string table, int sections);

    [LoggerMessage(56, LogLevel.Information, "{Table} was created for an import in {Sections} sections: its stream, TTL and point-in-time recovery are left to `{Command}`, to run once after every section ended")]
    public static partial void ImportFinishLater(ILogger logger, string table, int sections, string command);

    [LoggerMessage(44, LogLevel.Information, "Adaptive {What} rate: {Change}")]
    public static partial void RateChanged(ILogger logger, string what, string change);

    [LoggerMessage(45, LogLevel.Information, "Stream shard {Shard} found (parent {Parent})")]
    public static partial void ShardFound(ILogger logger, string shard, string parent);

    [LoggerMessage(46, LogLevel.Information, "Stream shard {Shard} is closed and read to its end")]
    public static partial void ShardClosed(ILogger logger, string shard);

    [LoggerMessage(47, LogLevel.Information, "Stream shard {Shard}: its iterator expired; reading on from the last position")]
    public static partial void IteratorExpired(ILogger logger, string shard);

    [LoggerMessage(48, LogLevel.Information, "{Message}")]
    public static partial void Follow(ILogger logger, string message);

    [LoggerMessage(49, LogLevel.Warning, "Gave up on a stream change of key {Key} after {MaxRetries} retries: {Reason}")]
    public static partial void ChangeGaveUp(ILogger logger, string key, int maxRetries, string reason);

    [LoggerMessage(50, LogLevel.Debug, "Stream shard {Shard}: {Count} records{Closed}")]
    public static partial void ShardPage(ILogger logger, string shard, int count, string closed);

    [LoggerMessage(51, LogLevel.Information, "transform: {Line}")]
    public static partial void TransformSaid(ILogger logger, string line);

    [LoggerMessage(52, LogLevel.Information, "Shaping items: {What}")]
    public static partial void Shaping(ILogger logger, string what);

    [LoggerMessage(53, LogLevel.Information, "Follow: {What}")]
    public static partial void Following(ILogger logger, string what);

    [LoggerMessage(54, LogLevel.Information, "Importing {What} from {Database} ({Columns} columns)")]
    public static partial void ImportDatabase(ILogger logger, string what, string database, int columns);

    [LoggerMessage(55, LogLevel.Information, "Export in sections: {What}")]
    public static partial void ExportSection(ILogger logger, string what);
}
