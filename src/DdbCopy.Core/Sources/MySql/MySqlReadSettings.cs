namespace DdbCopy.Core.Sources.MySql;

/// <summary>What an import from MySQL reads, and how: a table or a query, in ranges, and then its changes.</summary>
public sealed record MySqlReadSettings
{
    /// <summary>--sourceTableName: every row of this table, read in ranges of its primary key.</summary>
    public string? Table { get; init; }

    /// <summary>--query: the rows of this SELECT, in its order, as one range.</summary>
    public string? Query { get; init; }

    /// <summary>From MYSQL_PWD or --mysqlPasswordFile: never logged, never saved.</summary>
    public string? Password { get; init; }

    /// <summary>--segments: how many primary-key ranges a table is read in (null: from its size).</summary>
    public int? Segments { get; init; }

    /// <summary>--keepNulls: a NULL becomes a NULL attribute instead of no attribute.</summary>
    public bool KeepNulls { get; init; }

    /// <summary>--destinationKey: the key of a destination --createDestination creates (partition key, then sort key); null for the table's primary key.</summary>
    public IReadOnlyList<Schema.KeyAttribute>? DestinationKey { get; init; }

    /// <summary>--follow: after the full load, poll for changed rows; null without.</summary>
    public MySqlFollowSettings? Follow { get; init; }

    /// <summary>--follow --binlog: after the full load, follow the table's rows in the server's binary log; null without.</summary>
    public BinlogFollowSettings? Binlog { get; init; }

    /// <summary>What is read, for the log and the checkpoint's job identity.</summary>
    public string Describe() => Table is { } table ? $"table {table}" : $"query {Query}";
}

/// <summary>--follow for MySQL: rows changed since the high-water mark of an incremental column, soft deletes.</summary>
public sealed record MySqlFollowSettings
{
    /// <summary>--incrementalColumn: a column every insert and update sets (a timestamp, or an increasing number).</summary>
    public required string IncrementalColumn { get; init; }

    /// <summary>--deletedColumn: a row where this column is true (not 0, not NULL) is deleted from the table.</summary>
    public string? DeletedColumn { get; init; }

    public bool StopWhenCaughtUp { get; init; }

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Rows whose incremental value is this much below the high-water mark are read again: a transaction that
    /// committed late with an older timestamp, or rows with the mark's own value written after the last poll.
    /// </summary>
    public TimeSpan Overlap { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>--follow --binlog: every committed insert, update and delete of the table, read from the binary log as a replica does.</summary>
public sealed record BinlogFollowSettings
{
    /// <summary>--serverId: the replica id the reader uses (it must be no server's or other replica's id).</summary>
    public required uint ServerId { get; init; }

    public bool StopWhenCaughtUp { get; init; }

    /// <summary>How many keys are written at once (a key's changes always one after another, in commit order).</summary>
    public int Lanes { get; init; } = 16;
}
