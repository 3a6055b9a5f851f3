namespace DdbCopy.Core.Sources.MySql.Binlog;

/// <summary>
/// The events of the binary log that a follower acts on. Every event carries its header: the time its statement began
/// (lag is measured from it) and the position of the event after it in the current file (where to continue once it is applied).
/// </summary>
public abstract record BinlogEvent(DateTimeOffset Timestamp, uint NextPosition);

/// <summary>The log continues in another file (also the first event of a dump, naming where it starts).</summary>
public sealed record RotateEvent(DateTimeOffset Timestamp, uint NextPosition, string File, ulong Position) : BinlogEvent(Timestamp, NextPosition);

/// <summary>A transaction begins: MariaDB's GTID event, MySQL's GTID event, or a BEGIN statement.</summary>
/// <param name="Gtid">The transaction's global id as the server writes it (domain-server-sequence, or uuid:number); null for BEGIN.</param>
/// <param name="Standalone">Opens no transaction: MariaDB's GTID of a statement with no BEGIN ... COMMIT around it (DDL), and every
/// MySQL GTID (a BEGIN statement follows it for rows; a DDL statement follows alone, committing itself).</param>
public sealed record BeginEvent(DateTimeOffset Timestamp, uint NextPosition, string? Gtid, bool Standalone) : BinlogEvent(Timestamp, NextPosition);

/// <summary>A transaction committed (XID, or a COMMIT statement for tables without transactions).</summary>
public sealed record CommitEvent(DateTimeOffset Timestamp, uint NextPosition) : BinlogEvent(Timestamp, NextPosition);

/// <summary>A ROLLBACK statement: what the transaction held is dropped (written for non-transactional tables only).</summary>
public sealed record RollbackEvent(DateTimeOffset Timestamp, uint NextPosition) : BinlogEvent(Timestamp, NextPosition);

/// <summary>A statement other than BEGIN, COMMIT and ROLLBACK (DDL: ALTER TABLE, DROP TABLE, ...), with the database it ran in.</summary>
public sealed record StatementEvent(DateTimeOffset Timestamp, uint NextPosition, string Database, string Sql) : BinlogEvent(Timestamp, NextPosition);

/// <summary>What the rows events after it of one table id are: the table's name and its columns' types and metadata.</summary>
public sealed record TableMapEvent(DateTimeOffset Timestamp, uint NextPosition, ulong TableId, string Database, string Table, byte[] Types, ushort[] Metadata)
    : BinlogEvent(Timestamp, NextPosition);

/// <summary>Rows written, updated or deleted in one table: their images, not yet decoded (see <see cref="RowDecoder"/>).</summary>
/// <param name="Present">The columns the images hold (all of them with binlog_row_image=FULL).</param>
/// <param name="PresentAfter">For updates, the columns the after images hold.</param>
/// <param name="Images">The encoded rows: each a null bitmap and the values of the present columns (updates: before, then after).</param>
public sealed record RowsEvent(DateTimeOffset Timestamp, uint NextPosition, RowChange Change, TableMapEvent Table, int ColumnCount, bool[] Present,
    bool[]? PresentAfter, ReadOnlyMemory<byte> Images) : BinlogEvent(Timestamp, NextPosition);

/// <summary>The server has nothing newer: the reader is caught up at this position.</summary>
public sealed record HeartbeatEvent(DateTimeOffset Timestamp, uint NextPosition, string? File) : BinlogEvent(Timestamp, NextPosition);

public enum RowChange
{
    Write,
    Update,
    Delete,
}
