using System.CommandLine;
using System.Globalization;
using DdbCopy.Core.Jobs.Copying;

namespace DdbCopy.Cli.Commands;

/// <summary>The copy command's options: the classic tool's camelCase names with kebab-case aliases.</summary>
internal static class CopyOptions
{
    public static readonly Option<string?> SourceEndpoint = new("--sourceEndpoint", "--source-endpoint")
    {
        Description = "Source endpoint: a host name (dynamodb.us-east-1.amazonaws.com; https implied, region taken from it) or a URL (http://localhost:8000). Default: the region's public endpoint.",
    };

    public static readonly Option<string> SourceTable = new("--sourceTable", "--source-table")
    {
        Description = "The table to copy from (required).",
    };

    public static readonly Option<string?> SourceRegion = new("--sourceRegion", "--source-region")
    {
        Description = "Region of the source. Default: from the endpoint host name, else the profile or AWS_REGION.",
    };

    public static readonly Option<string?> SourceProfile = new("--sourceProfile", "--source-profile")
    {
        Description = "Named AWS profile for the source. Default: the SDK's credential chain.",
    };

    public static readonly Option<string?> SourceRoleArn = new("--sourceRoleArn", "--source-role-arn")
    {
        Description = "A role to assume for the source (from the profile's or the default credentials).",
    };

    public static readonly Option<string?> SourceExternalId = new("--sourceExternalId", "--source-external-id")
    {
        Description = "The external id the source role requires.",
    };

    public static readonly Option<string?> DestinationEndpoint = new("--destinationEndpoint", "--destination-endpoint")
    {
        Description = "Destination endpoint, in the same forms as --sourceEndpoint.",
    };

    public static readonly Option<string> DestinationTable = new("--destinationTable", "--destination-table")
    {
        Description = "The table to copy into (required). It must exist and have the same key schema as the source.",
    };

    public static readonly Option<string?> DestinationRegion = new("--destinationRegion", "--destination-region")
    {
        Description = "Region of the destination. Default: as for the source.",
    };

    public static readonly Option<string?> DestinationProfile = new("--destinationProfile", "--destination-profile")
    {
        Description = "Named AWS profile for the destination (may be another account).",
    };

    public static readonly Option<string?> DestinationRoleArn = new("--destinationRoleArn", "--destination-role-arn")
    {
        Description = "A role to assume for the destination, e.g. in another account.",
    };

    public static readonly Option<string?> DestinationExternalId = new("--destinationExternalId", "--destination-external-id")
    {
        Description = "The external id the destination role requires.",
    };

    public static readonly Option<double> ReadThroughputRatio = new("--readThroughputRatio", "--read-throughput-ratio")
    {
        Description = Invariant($"Fraction (0 < r <= 1) of the source's provisioned RCU to use; for an on-demand source, of {Core.Capacity.CapacityPlanner.OnDemandDefaultReadUnits} RCU."),
        DefaultValueFactory = _ => CopySettings.DefaultReadRatio,
    };

    public static readonly Option<double> WriteThroughputRatio = new("--writeThroughputRatio", "--write-throughput-ratio")
    {
        Description = Invariant($"Fraction (0 < r <= 1) of the destination's provisioned WCU to use; for an on-demand destination, of {Core.Capacity.CapacityPlanner.OnDemandDefaultWriteUnits} WCU."),
        DefaultValueFactory = _ => CopySettings.DefaultWriteRatio,
    };

    public static readonly Option<double?> ReadCapacityUnits = new("--readCapacityUnits", "--read-capacity-units")
    {
        Description = "Absolute read budget in RCU per second for the whole job; overrides --readThroughputRatio.",
    };

    public static readonly Option<double?> WriteCapacityUnits = new("--writeCapacityUnits", "--write-capacity-units")
    {
        Description = "Absolute write budget in WCU per second for the whole job, index writes included; overrides --writeThroughputRatio.",
    };

    public static readonly Option<int?> MaxWriteThreads = new("--maxWriteThreads", "--max-write-threads")
    {
        Description = "At most this many BatchWriteItem requests in flight. Default: as many as the write budget and the measured round trip need, up to what 32 MB of items allows (16-256); 8 per CPU core for follow, MySQL and generate.",
    };

    public static readonly Option<int> TotalSections = new("--totalSections", "--total-sections")
    {
        Description = "Split the copy across this many processes (each given its own --section).",
        DefaultValueFactory = _ => 1,
    };

    /// <summary>--section follow: the follower of a copy in sections with --follow.</summary>
    public const int FollowerSection = -1;

    public static readonly Option<int> Section = new("--section")
    {
        Description = "Which section (0 to totalSections - 1) this process copies; with --follow, 'follow' (or the index totalSections) is the process that applies the source's stream after every section. Default: JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (an AWS Batch array job) when set, else 0.",
        DefaultValueFactory = _ => 0,
        CustomParser = OrchestratorSection.Parse,
    };

    public static readonly Option<int?> Segments = new("--segments")
    {
        Description = "Total parallel Scan segments. Default: chosen from the table size and read rate (rounded up to a multiple of --totalSections).",
    };

    public static readonly Option<bool> ConsistentScan = new("--consistentScan", "--consistent-scan")
    {
        Description = "Use strongly consistent reads (twice the read cost). Accepts a bare flag or true|false. Default: false.",
    };

    public static readonly Option<int> MaxRetries = new("--maxRetries", "--max-retries")
    {
        Description = Invariant($"Retries per request for throttling, UnprocessedItems, 5xx and network errors (jittered exponential backoff, capped at 10 s)."),
        DefaultValueFactory = _ => CopySettings.DefaultMaxRetries,
    };

    public static readonly Option<bool> CreateDestination = new("--createDestination", "--create-destination")
    {
        Description = "Create the destination when it does not exist, from the source's definition (key schema, indexes, billing and capacity, stream, table class, encryption, TTL, tags, point-in-time recovery, deletion protection), and wait until it is ACTIVE.",
    };

    public static readonly Option<bool> RecreateDestination = new("--recreateDestination", "--recreate-destination")
    {
        Description = "Delete the destination (never one with deletion protection on), create it again from the source's definition, then copy. Asks for confirmation unless --yes.",
    };

    public static readonly Option<bool> Yes = new("--yes", "-y")
    {
        Description = "Confirm --recreateDestination without asking (needed when there is no terminal to ask on).",
    };

    public static readonly Option<bool> DryRun = new("--dryRun", "--dry-run")
    {
        Description = "Print what the copy would do (create or recreate, how the definitions differ, capacity) and change nothing.",
    };

    public static readonly Option<long?> BoostWriteCapacity = new("--boostWriteCapacity", "--boost-write-capacity")
    {
        Description = "Raise a PROVISIONED destination's WCU to this for the copy (its global indexes in proportion), and restore the original values afterwards, also after a failure or Ctrl+C.",
    };

    public static readonly Option<string?> SchemaFile = new("--schemaFile", "--schema-file")
    {
        Description = "With --createDestination or --recreateDestination: create the destination from this definition (from `ddbcopy schema export`) instead of the source's. An export's folder or s3:// prefix stands for its ddbcopy-table.json.",
    };

    public static readonly Option<string?> DestinationBillingMode = new("--destinationBillingMode", "--destination-billing-mode")
    {
        Description = "With --createDestination or --recreateDestination: PROVISIONED or PAY_PER_REQUEST instead of the source's billing mode.",
    };

    public static readonly Option<long?> DestinationReadCapacity = new("--destinationReadCapacity", "--destination-read-capacity")
    {
        Description = "With --createDestination or --recreateDestination: provisioned RCU of the new table and of each of its global indexes.",
    };

    public static readonly Option<long?> DestinationWriteCapacity = new("--destinationWriteCapacity", "--destination-write-capacity")
    {
        Description = "With --createDestination or --recreateDestination: provisioned WCU of the new table and of each of its global indexes.",
    };

    public static readonly Option<string?> DestinationKmsKeyId = new("--destinationKmsKeyId", "--destination-kms-key-id")
    {
        Description = "With --createDestination or --recreateDestination: the KMS key (in the destination's account and region) to encrypt the new table with. Default: the source's key.",
    };

    public static readonly Option<string?> DeadLetterFile = new("--deadLetterFile", "--dead-letter-file")
    {
        Description = "File for items that could not be written (DynamoDB JSON lines, owner-only permissions, created only when needed). Default: ddbcopy-deadletter-<destinationTable>-<UTC time>.jsonl in the working directory. {section} in the path is replaced by the section number.",
    };

    public static readonly Option<string> Rate = new("--rate")
    {
        Description = "How the read and write rates are kept: adaptive (start at the budget, slow down when throttled, speed up while not, never above --readCapacityUnits/--writeCapacityUnits or an on-demand table's maximum), fixed (the budget all along), or auto: adaptive for on-demand tables, fixed for provisioned ones.",
        DefaultValueFactory = _ => "auto",
    };

    public static readonly Option<double?> ReadRequestPrice = new("--readRequestPrice", "--read-request-price")
    {
        Description = "With --dryRun: the on-demand price, USD per million read request units, for the cost estimate. Default: ddbcopy's table (us-east-1 prices).",
    };

    public static readonly Option<double?> WriteRequestPrice = new("--writeRequestPrice", "--write-request-price")
    {
        Description = "With --dryRun: the on-demand price, USD per million write request units, for the cost estimate. Default: ddbcopy's table (us-east-1 prices).",
    };

    public static readonly Option<bool> Resume = new("--resume")
    {
        Description = "Continue the job from its checkpoint: segments (or files and lines) already settled are not read again, and the totals cover the whole job. Without a checkpoint the job starts from the beginning; a finished job says so and does nothing.",
    };

    public static readonly Option<string?> CheckpointFile = new("--checkpointFile", "--checkpoint-file")
    {
        Description = "Where the job's checkpoint is kept (saved as it runs and when it stops; owner-only). Default: ddbcopy-<command>-<source>-to-<destination>[-section-<i>-of-<n>].checkpoint.json in the state folder ($XDG_STATE_HOME/ddbcopy, else ~/.local/state/ddbcopy; `ddbcopy jobs` lists them), or in the working directory when an older version left it there. {section} in the path is replaced by the section number.",
    };

    public static readonly Option<bool> Follow = new("--follow")
    {
        Description = "Keep the destination up to date from the source's DynamoDB stream (NEW_IMAGE or NEW_AND_OLD_IMAGES): the stream is read from before the scan starts (its records wait in a spool on disk), applied in order per key after the scan, then followed until Ctrl+C or --stopWhenCaughtUp.",
    };

    public static readonly Option<bool> StopWhenCaughtUp = new("--stopWhenCaughtUp", "--stop-when-caught-up")
    {
        Description = "With --follow: exit once every change recorded until the scan ended is applied (refresh, then stop).",
    };

    public static readonly Option<bool> EnableSourceStream = new("--enableSourceStream", "--enable-source-stream")
    {
        Description = "With --follow: enable the source's stream (NEW_AND_OLD_IMAGES) when it has none, instead of refusing.",
    };

    public static readonly Option<string?> ConflictAttribute = new("--conflictAttribute", "--conflict-attribute")
    {
        Description = "With --follow, for two-way replication: an attribute the application writes on every change (a number, or an ISO-8601 UTC string); a change is applied only when it is newer than the destination's, so both sides converge to the newest and replicated writes do not come back.",
    };

    public static readonly Option<bool> FollowOnly = new("--followOnly", "--follow-only")
    {
        Description = "With --follow: no bulk copy; apply only the changes recorded from now on (the second direction of two-way replication, or a destination already equal).",
    };

    public static readonly Option<string?> SpoolDirectory = new("--spoolDirectory", "--spool-directory")
    {
        Description = "With --follow: where stream records wait until they are applied (owner-only). Default: the checkpoint file's path with .spool instead of .json.",
    };

    public static readonly Option<double> RequestTimeoutSeconds = new("--requestTimeoutSeconds", "--request-timeout-seconds")
    {
        Description = "How long one request may wait for its answer before it counts as unanswered and is retried. After 10 requests in a row to one side get no answer (refused, reset, timed out), that side counts as lost and the run stops.",
        DefaultValueFactory = _ => Core.Aws.EndpointWatch.DefaultRequestTimeout.TotalSeconds,
    };

    public static readonly Option<double> DrainTimeoutSeconds = new("--drainTimeoutSeconds", "--drain-timeout-seconds")
    {
        Description = "After the first Ctrl+C or SIGTERM, how long in-flight writes may drain before ddbcopy stops at once (what is not confirmed goes to the dead-letter file).",
        DefaultValueFactory = _ => OutputSettings.DefaultDrainTimeout.TotalSeconds,
    };

    public static readonly Option<double?> ProgressIntervalSeconds = new("--progressIntervalSeconds", "--progress-interval-seconds")
    {
        Description = "Seconds between progress updates on stderr (items, rate, capacity against the budget, retries, ETA). Default: a bar redrawn every 0.5 on a terminal; a line every 10 otherwise (a CI log); --quiet prints none.",
    };

    public static readonly Option<string> Output = new("--output", "-o")
    {
        Description = "Format of the final summary on stdout: text or json.",
        DefaultValueFactory = _ => "text",
    };

    public static readonly Option<string> LogFormat = new("--logFormat", "--log-format")
    {
        Description = "Format of the log, progress and error lines on stderr: text, or json (one JSON object per line: Timestamp, EventId, LogLevel, Category, Message, State with the fields).",
        DefaultValueFactory = _ => "text",
    };

    public static readonly Option<string?> MetricsListen = new("--metricsListen", "--metrics-listen")
    {
        Description = "Serve /metrics (Prometheus text format) and /healthz at HOST:PORT while the job runs (0.0.0.0:9464 for every interface; 127.0.0.1:9464 for this machine only).",
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Log debug details (each retry) to stderr.",
    };

    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "Log only warnings and errors to stderr; no progress lines.",
    };

    public static IEnumerable<Option> All =>
    [
        SourceEndpoint, SourceTable, SourceRegion, SourceProfile, SourceRoleArn, SourceExternalId,
        DestinationEndpoint, DestinationTable, DestinationRegion, DestinationProfile, DestinationRoleArn, DestinationExternalId,
        ReadThroughputRatio, WriteThroughputRatio, ReadCapacityUnits, WriteCapacityUnits,
        MaxWriteThreads, Rate, TotalSections, Section, Segments, ConsistentScan, MaxRetries, DeadLetterFile, Resume, CheckpointFile,
        Follow, StopWhenCaughtUp, EnableSourceStream, ConflictAttribute, FollowOnly, SpoolDirectory,
        CreateDestination, RecreateDestination, Yes, DryRun, ReadRequestPrice, WriteRequestPrice, BoostWriteCapacity, SchemaFile, DestinationBillingMode, DestinationReadCapacity, DestinationWriteCapacity, DestinationKmsKeyId,
        RequestTimeoutSeconds, DrainTimeoutSeconds, ProgressIntervalSeconds, Output, LogFormat, MetricsListen, Verbose, Quiet,
    ];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
