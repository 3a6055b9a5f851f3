using System.CommandLine;

namespace DdbCopy.Cli.Commands;

/// <summary>The import's options for a MySQL or MariaDB source (--from mysql://USER@HOST:PORT/DATABASE).</summary>
internal static class MySqlOptions
{
    /// <summary>The environment variable MySQL's own clients read the password from.</summary>
    public const string PasswordVariable = "MYSQL_PWD";

    public static readonly Option<string?> SourceTableName = new("--sourceTableName", "--source-table-name")
    {
        Description = "With --from mysql://...: import every row of this table, read in parallel ranges of its primary key.",
    };

    public static readonly Option<string?> Query = new("--query")
    {
        Description = "With --from mysql://...: import the rows of this SELECT (one range, in its order: give it an ORDER BY so a resumed run continues exactly).",
    };

    public static readonly Option<string?> PasswordFile = new("--mysqlPasswordFile", "--mysql-password-file")
    {
        Description = "File holding the MySQL password, instead of MYSQL_PWD (never in the URL or a flag).",
    };

    public static readonly Option<bool> KeepNulls = new("--keepNulls", "--keep-nulls")
    {
        Description = "With --from mysql://...: a NULL becomes a NULL attribute. Default: the attribute is left out.",
    };

    public static readonly Option<int?> Segments = new("--segments")
    {
        Description = "With --sourceTableName: how many ranges of the primary key to read in parallel (4 at a time). Default: one per 50,000 rows, 1 to 16.",
    };

    public static readonly Option<string?> DestinationKey = new("--destinationKey", "--destination-key")
    {
        Description = "With --createDestination and no --schemaFile: the new table's key, partition key then sort key, each NAME[:S|N|B] (such as pk:S,sk:S). Default: the source table's primary key. The table is created on-demand.",
    };

    public static readonly Option<bool> Follow = new("--follow")
    {
        Description = "With --from mysql://... and --binlog or --incrementalColumn: after the full load, apply the rows changed since it started, until Ctrl+C or --stopWhenCaughtUp.",
    };

    public static readonly Option<bool> Binlog = new("--binlog")
    {
        Description = "With --follow and --sourceTableName: read the changes from the server's binary log as a replica does (inserts, updates and hard deletes; no change column). Needs binlog_format=ROW, binlog_row_image=FULL and REPLICATION SLAVE, REPLICATION CLIENT.",
    };

    public static readonly Option<uint?> ServerId = new("--serverId", "--server-id")
    {
        Description = "With --binlog: the replica id the reader uses, unlike every server's and replica's. Default: a random id from 1,000,000,000 up.",
    };

    public static readonly Option<bool> StopWhenCaughtUp = new("--stopWhenCaughtUp", "--stop-when-caught-up")
    {
        Description = "With --follow: exit once caught up (a poll finds no row changed since the one before; the binary log has nothing newer).",
    };

    public static readonly Option<string?> IncrementalColumn = new("--incrementalColumn", "--incremental-column")
    {
        Description = "With --follow: a column every insert and update sets (a TIMESTAMP/DATETIME such as updated_at, or an increasing number).",
    };

    public static readonly Option<string?> DeletedColumn = new("--deletedColumn", "--deleted-column")
    {
        Description = "With --follow: a soft-delete column; a changed row where it is true (not 0, not NULL) has its item deleted instead of written.",
    };

    public static readonly Option<double> PollIntervalSeconds = new("--pollIntervalSeconds", "--poll-interval-seconds")
    {
        Description = "With --follow: seconds between polls.",
        DefaultValueFactory = _ => 5,
    };

    public static readonly Option<double> OverlapSeconds = new("--overlapSeconds", "--overlap-seconds")
    {
        Description = "With --follow and a time column: each poll reads again the rows up to this much older than the newest change seen (transactions that commit late, equal timestamps); writing them again changes nothing.",
        DefaultValueFactory = _ => 5,
    };

    public static IEnumerable<Option> All =>
    [
        SourceTableName, Query, PasswordFile, KeepNulls, Segments, DestinationKey, Follow, Binlog, ServerId, StopWhenCaughtUp, IncrementalColumn, DeletedColumn,
        PollIntervalSeconds, OverlapSeconds,
    ];
}
