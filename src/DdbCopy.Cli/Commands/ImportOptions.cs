using System.CommandLine;

namespace DdbCopy.Cli.Commands;

/// <summary>Options of `ddbcopy import` beyond the destination and write options it shares with the copy.</summary>
internal static class ImportOptions
{
    public static readonly Option<string> From = new("--from")
    {
        Description = "What to import (required): a file (DynamoDB JSON lines or CSV; plain, gzip or zstd), a folder or s3://bucket/prefix holding an export (ddbcopy's or AWS's native one, checked against its manifest first), or a folder or prefix of data files; or a MySQL/MariaDB database: mysql://USER@HOST[:PORT]/DATABASE[?sslMode=Required&...] with --sourceTableName or --query (password from MYSQL_PWD or --mysqlPasswordFile).",
    };

    public static readonly Option<string> Format = new("--format")
    {
        Description = "How to read the files: auto (CSV for names ending .csv, .csv.gz or .csv.zst, else DynamoDB JSON lines), dynamodb-json, or csv.",
        DefaultValueFactory = _ => "auto",
    };

    public static readonly Option<string[]> Column = new("--column")
    {
        Description = "CSV: the type of a column, as name:TYPE with TYPE one of S (the default), N, BOOL, B (base64). Repeatable.",
    };

    public static readonly Option<string[]> Attribute = new("--attribute")
    {
        Description = "CSV: an attribute built from columns, as name=template or name:TYPE=template, e.g. \"pk=${customerid}|${orderid}\". Repeatable.",
    };

    public static readonly Option<string?> ExcludeColumns = new("--excludeColumns", "--exclude-columns")
    {
        Description = "CSV: comma-separated columns that do not become attributes (they can still be used in --attribute templates).",
    };

    public static readonly Option<string?> GroupBy = new("--groupBy", "--group-by")
    {
        Description = "CSV: comma-separated attributes (usually the key) whose equal values on consecutive rows make one item. Sort the file by them.",
    };

    public static readonly Option<string?> Pivot = new("--pivot")
    {
        Description = "CSV: nameColumn=valueColumn: each row adds an attribute named by nameColumn's value, holding valueColumn's value (typed by --column).",
    };

    public static readonly Option<string> Delimiter = new("--delimiter")
    {
        Description = "CSV: the field delimiter.",
        DefaultValueFactory = _ => ",",
    };

    public static readonly Option<bool> FailFast = new("--failFast", "--fail-fast")
    {
        Description = "Stop at the first record that is not a valid item (every valid item before it is still written), instead of rejecting it and going on.",
    };

    public static readonly Option<string?> RejectFile = new("--rejectFile", "--reject-file")
    {
        Description = "File for rejected records (JSON lines: file, line, reason, text; owner-only; created only when needed). Default: ddbcopy-rejected-<destinationTable>-<UTC time>.jsonl in the working directory.",
    };

    public static readonly Option<bool> AllowIncompleteExport = new("--allowIncompleteExport", "--allow-incomplete-export")
    {
        Description = "Import the data files of an export that did not finish (it has a table definition or _started marker but no manifest). Without it such a folder is refused, since it holds only part of the table.",
    };

    public static readonly Option<bool> CreateDestination = new("--createDestination", "--create-destination")
    {
        Description = "Create the destination when it does not exist, from the export's table definition (ddbcopy-table.json) or --schemaFile, and wait until it is ACTIVE.",
    };

    public static readonly Option<string?> SchemaFile = new("--schemaFile", "--schema-file")
    {
        Description = "With --createDestination: create the destination from this definition (from `ddbcopy schema export`) instead of the export's.",
    };

    public static IEnumerable<Option> All =>
    [
        From, Format, Column, Attribute, ExcludeColumns, GroupBy, Pivot, Delimiter, FailFast, RejectFile, AllowIncompleteExport,
        CopyOptions.DestinationEndpoint, CopyOptions.DestinationTable, CopyOptions.DestinationRegion, CopyOptions.DestinationProfile,
        CopyOptions.DestinationRoleArn, CopyOptions.DestinationExternalId,
        CreateDestination, SchemaFile, CopyOptions.DestinationBillingMode, CopyOptions.DestinationReadCapacity, CopyOptions.DestinationWriteCapacity,
        CopyOptions.DestinationKmsKeyId,
        FileOptions.S3Endpoint, FileOptions.S3Region, FileOptions.S3Profile,
        CopyOptions.WriteThroughputRatio, CopyOptions.WriteCapacityUnits, CopyOptions.MaxWriteThreads, CopyOptions.Rate, CopyOptions.MaxRetries,
        CopyOptions.RequestTimeoutSeconds, CopyOptions.DrainTimeoutSeconds, CopyOptions.ProgressIntervalSeconds,
        CopyOptions.DeadLetterFile, CopyOptions.Resume, CopyOptions.CheckpointFile, CopyOptions.TotalSections, CopyOptions.Section, CopyOptions.Output, CopyOptions.LogFormat, CopyOptions.MetricsListen, CopyOptions.Verbose, CopyOptions.Quiet,
    ];
}
