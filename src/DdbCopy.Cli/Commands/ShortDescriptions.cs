using System.CommandLine;

namespace DdbCopy.Cli.Commands;

/// <summary>
/// One line of --help per option: its description's first sentence, or, where that is too long for one line, the
/// short form written here (the full description is in the README's flag table).
/// </summary>
internal static class ShortDescriptions
{
    private static readonly Dictionary<Option, string> Short = new()
    {
        [CopyOptions.SourceEndpoint] = "Host name (region from it) or URL of the source. Default: the region's endpoint.",
        [CopyOptions.SourceRoleArn] = "A role to assume for the source.",
        [CopyOptions.DestinationRoleArn] = "A role to assume for the destination (such as one in another account).",
        [CopyOptions.ReadThroughputRatio] = "Share (0 to 1) of the source's RCU to use; of 12000 RCU when on-demand.",
        [CopyOptions.WriteThroughputRatio] = "Share (0 to 1) of the destination's WCU to use; of 4000 WCU when on-demand.",
        [CopyOptions.MaxRetries] = "Retries per request: throttling, UnprocessedItems, 5xx, network errors (backoff).",
        [CopyOptions.ReadCapacityUnits] = "Read budget in RCU/s for the whole job (instead of the ratio).",
        [CopyOptions.WriteCapacityUnits] = "Write budget in WCU/s for the whole job, index writes included (not the ratio).",
        [CopyOptions.CreateDestination] = "Create a missing destination from the source's whole definition.",
        [CopyOptions.RecreateDestination] = "Delete the destination, create it again from the source's definition, then copy.",
        [CopyOptions.Yes] = "Confirm --recreateDestination without asking.",
        [CopyOptions.DryRun] = "Say what would be done (tables, capacity, time, cost); change nothing.",
        [CopyOptions.BoostWriteCapacity] = "Raise a provisioned destination's WCU to this for the copy, restore it after.",
        [CopyOptions.SchemaFile] = "Create the destination from this definition (`ddbcopy schema export`).",
        [CopyOptions.DestinationBillingMode] = "The new table's billing: PROVISIONED or PAY_PER_REQUEST.",
        [CopyOptions.DestinationReadCapacity] = "The new table's RCU (and each global index's).",
        [CopyOptions.DestinationWriteCapacity] = "The new table's WCU (and each global index's).",
        [CopyOptions.DestinationKmsKeyId] = "The KMS key to encrypt the new table with.",
        [CopyOptions.DeadLetterFile] = "Where items that could not be written go (DynamoDB JSON lines, owner-only).",
        [CopyOptions.LogFormat] = "Log, progress and error lines on stderr: text, or json (one object a line).",
        [CopyOptions.MetricsListen] = "Serve /metrics (Prometheus) and /healthz at HOST:PORT while the job runs.",
        [CopyOptions.Rate] = "auto, adaptive (follow throttling, never above the budget) or fixed.",
        [CopyOptions.ReadRequestPrice] = "With --dryRun: USD per million read request units.",
        [CopyOptions.WriteRequestPrice] = "With --dryRun: USD per million write request units.",
        [CopyOptions.Resume] = "Continue the job from its checkpoint; what was settled is not read again.",
        [CopyOptions.CheckpointFile] = "Where the job's checkpoint is kept (owner-only).",
        [CopyOptions.Section] = "This process's section (0 to totalSections - 1), or follow: the follower.",
        [CopyOptions.Follow] = "After the copy, apply the source's stream changes until Ctrl+C.",
        [CopyOptions.StopWhenCaughtUp] = "With --follow: exit once the changes made during the copy are applied.",
        [CopyOptions.EnableSourceStream] = "With --follow: enable the source's stream when it has none.",
        [CopyOptions.ConflictAttribute] = "With --follow, two-way: apply a change only when this attribute is newer.",
        [CopyOptions.FollowOnly] = "With --follow: no bulk copy, only the changes from now on.",
        [CopyOptions.RequestTimeoutSeconds] = "How long a request may wait for its answer before it is retried.",
        [CopyOptions.DrainTimeoutSeconds] = "After Ctrl+C, how long in-flight writes may drain.",
        [CopyOptions.ProgressIntervalSeconds] = "Seconds between progress lines on stderr.",
        [FileOptions.MaxFileSizeMb] = "Start a new data file once one holds this many MiB of JSON.",
        [FileOptions.Export] = "An export in sections to make whole: write its manifest once every section ended.",
        [FileOptions.S3Endpoint] = "S3 endpoint URL (an S3-compatible server or a VPC endpoint).",
        [FileOptions.S3PartSizeMb] = "Multipart upload part size in MiB (5 or more).",
        [ImportOptions.From] = "A file, a folder or s3:// prefix, or mysql://USER@HOST[:PORT]/DB (required).",
        [ImportOptions.Format] = "auto (by file name), dynamodb-json or csv.",
        [ImportOptions.Column] = "CSV/MySQL: a column's type, name:TYPE (S, N, BOOL, B); repeatable.",
        [ImportOptions.Attribute] = "CSV/MySQL: an attribute from a template, name[:TYPE]=text${column}; repeatable.",
        [ImportOptions.ExcludeColumns] = "CSV/MySQL: columns that do not become attributes.",
        [ImportOptions.GroupBy] = "CSV/MySQL: attributes whose equal values on consecutive rows make one item.",
        [ImportOptions.Pivot] = "CSV/MySQL: nameColumn=valueColumn, one attribute per row of a group.",
        [ImportOptions.FailFast] = "Stop at the first record that is not a valid item, instead of rejecting it.",
        [ImportOptions.RejectFile] = "Where rejected records go (JSON lines, owner-only).",
        [ImportOptions.AllowIncompleteExport] = "Import the data files of an export that did not finish.",
        [ImportOptions.CreateDestination] = "Create a missing destination from the export's definition or --schemaFile.",
        [ImportOptions.SchemaFile] = "Create the destination from this definition (`ddbcopy schema export`).",
        [MySqlOptions.SourceTableName] = "MySQL: import this table, in parallel ranges of its primary key.",
        [MySqlOptions.Query] = "MySQL: import the rows of this SELECT (give it an ORDER BY).",
        [MySqlOptions.PasswordFile] = "MySQL: a file holding the password, instead of MYSQL_PWD.",
        [MySqlOptions.Segments] = "MySQL: ranges of the primary key read in parallel.",
        [MySqlOptions.DestinationKey] = "MySQL: the new table's key, NAME[:S|N|B][,NAME[:S|N|B]].",
        [MySqlOptions.Follow] = "MySQL: after the load, apply changed rows (--binlog or polling) until Ctrl+C.",
        [MySqlOptions.Binlog] = "With --follow: read every change from the binary log, as a replica.",
        [MySqlOptions.ServerId] = "With --binlog: the replica id to read as (default: random, 1e9 up).",
        [MySqlOptions.StopWhenCaughtUp] = "With --follow: exit once caught up (nothing new).",
        [MySqlOptions.IncrementalColumn] = "With --follow: the column every insert and update sets (updated_at, a counter).",
        [MySqlOptions.DeletedColumn] = "With --follow: the soft-delete column; its rows' items are deleted.",
        [MySqlOptions.OverlapSeconds] = "With --follow: how far back each poll reads again (late commits, equal times).",
        [ShapeOptions.FilterExpression] = "Write only items that match this DynamoDB condition.",
        [ShapeOptions.ExpressionAttributeNames] = "JSON of the #placeholders, as the AWS CLI takes it.",
        [ShapeOptions.ExpressionAttributeValues] = "JSON of the :placeholders, in DynamoDB JSON as the AWS CLI takes it.",
        [ShapeOptions.ProjectionExpression] = "Keep only these attributes (the key is always kept).",
        [ShapeOptions.DropAttributes] = "Attributes to leave out (paths; repeatable).",
        [ShapeOptions.Mask] = "Replace these paths' values with keyed, format-keeping stand-ins (repeatable).",
        [ShapeOptions.AllowKeyChanges] = "Allow --mask and --renameAttribute on key attributes.",
        [ShapeOptions.Transform] = "A command that reads item lines on stdin and writes item lines (jq -c ...).",
        [ShapeOptions.TransformErrors] = "What a --transform line that is not an item does: stop or reject.",
        [ShapeOptions.Preview] = "With --dryRun: show the first N items as they would be written.",
        [GenerateCommand.ItemSize] = "About how large each item is: bytes, or KB (1KB, 400, 100KB; at most 400KB).",
        [GenerateCommand.Rich] = "Items of every attribute type (sets, lists, nested maps, 38-digit numbers).",
        [GenerateCommand.UpdatesPerSecond] = "After the fill: new versions of random items per second, for --duration.",
        [GenerateCommand.ConflictAttribute] = "An attribute every update sets to its time (ISO 8601, UTC).",
        [VerifyCommand.From] = "Compare with an export (a folder or s3:// prefix) instead of --sourceTable.",
        [VerifyCommand.DiffFile] = "Where the keys that differ go (DynamoDB JSON lines, owner-only).",
        [VerifyCommand.Repair] = "Write the missing and differing items from the source, then verify again.",
        [VerifyCommand.DeleteExtra] = "With --repair: also delete the items the source does not have.",
    };

    /// <summary>The one line shown for <paramref name="option"/>.</summary>
    public static string For(Option option)
    {
        ArgumentNullException.ThrowIfNull(option);
        if (Short.TryGetValue(option, out var text))
        {
            return text;
        }

        return FirstSentence(option.Description ?? "");
    }

    /// <summary>Up to the first ". " that ends a sentence (not the one of "e.g." or "i.e.").</summary>
    public static string FirstSentence(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var end = text.IndexOf(". ", StringComparison.Ordinal); end >= 0; end = text.IndexOf(". ", end + 1, StringComparison.Ordinal))
        {
            if (!text[..(end + 1)].EndsWith("e.g.", StringComparison.Ordinal) && !text[..(end + 1)].EndsWith("i.e.", StringComparison.Ordinal))
            {
                return text[..(end + 1)];
            }
        }

        return text;
    }
}
