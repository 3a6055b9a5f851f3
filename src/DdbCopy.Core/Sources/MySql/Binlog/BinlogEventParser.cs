using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;

namespace DdbCopy.Core.Sources.MySql.Binlog;

/// <summary>
/// Turns the events of a dump into <see cref="BinlogEvent"/>s: checks each event's length and CRC32, keeps the format
/// description (header and post-header lengths, the checksum) and the table maps that rows events refer to. Events a
/// follower has no use for (row queries, GTID lists, user variables, ...) are known and passed over; an event of a
/// kind not known here, or one that would change what rows mean without being understood (compressed or partial rows,
/// XA, an incident), is an error: never a silent skip.
/// </summary>
public sealed class BinlogEventParser
{
    private const int HeaderLength = 19;
    private readonly Dictionary<ulong, TableMapEvent> _tables = [];
    private bool? _checksums; // known from the format description; before it (a dump's first, made-up rotate event) from the CRC itself
    private byte[] _postHeaders = [];

    /// <summary>
    /// The one table whose rows are wanted (database, table), or null for every table: rows events of other tables are
    /// passed over after their header, their images neither copied nor decoded (table maps are still read and kept).
    /// </summary>
    public (string Database, string Table)? Only { get; init; }

    /// <returns>The event, or null for one that is passed over.</returns>
    /// <exception cref="BinlogFormatException">The event is malformed, fails its checksum, or is of a kind that cannot be followed.</exception>
    public BinlogEvent? Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderLength)
        {
            throw new BinlogFormatException($"an event of {data.Length} bytes is shorter than its header");
        }

        var type = data[4];
        var size = BinaryPrimitives.ReadUInt32LittleEndian(data[9..]);
        if (size != data.Length)
        {
            throw new BinlogFormatException($"an event of type {type} says it has {size} bytes but has {data.Length}");
        }

        var timestamp = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32LittleEndian(data));
        var next = BinaryPrimitives.ReadUInt32LittleEndian(data[13..]);
        if (type == 15)
        {
            return FormatDescription(data, timestamp, next);
        }

        if (_checksums ?? (data.Length >= HeaderLength + 4 && Crc32.HashToUInt32(data[..^4]) == BinaryPrimitives.ReadUInt32LittleEndian(data[^4..])))
        {
            Verify(data, type);
            data = data[..^4];
        }

        var reader = new ByteReader(data[HeaderLength..]);
        return type switch
        {
            2 => Query(ref reader, timestamp, next),
            4 => Rotate(ref reader, timestamp, next),
            16 => new CommitEvent(timestamp, next),
            19 => TableMap(ref reader, timestamp, next),
            23 or 30 => Rows(ref reader, timestamp, next, RowChange.Write, version2: type == 30),
            24 or 31 => Rows(ref reader, timestamp, next, RowChange.Update, version2: type == 31),
            25 or 32 => Rows(ref reader, timestamp, next, RowChange.Delete, version2: type == 32),
            27 => new HeartbeatEvent(timestamp, next, reader.Text(reader.Remaining)),
            41 => new HeartbeatEvent(timestamp, next, null),
            33 => MySqlGtid(ref reader, timestamp, next),
            162 => MariaDbGtid(ref reader, timestamp, next, BinaryPrimitives.ReadUInt32LittleEndian(data[5..])),
            // Known, and of no use to a follower: STOP, INTVAR, RAND, USER_VAR, ROWS_QUERY, ANONYMOUS_GTID (a BEGIN follows),
            // PREVIOUS_GTIDS, TRANSACTION_CONTEXT, VIEW_CHANGE, ANNOTATE_ROWS, BINLOG_CHECKPOINT, GTID_LIST, START_ENCRYPTION, IGNORABLE.
            3 or 5 or 13 or 14 or 29 or 34 or 35 or 36 or 37 or 160 or 161 or 163 or 164 or 28 => null,
            26 => throw new BinlogFormatException("the server wrote an INCIDENT event: changes may be missing from its binary log here; copy the table again"),
            38 => throw new BinlogFormatException("an XA transaction (XA_PREPARE): XA transactions cannot be followed"),
            39 => throw new BinlogFormatException("a partial JSON update (binlog_row_value_options=PARTIAL_JSON): set binlog_row_value_options='' on the server"),
            40 => throw new BinlogFormatException("a compressed transaction (binlog_transaction_compression=ON): turn it off on the server to follow its binary log"),
            >= 165 and <= 171 => throw new BinlogFormatException("compressed events (log_bin_compress=ON): turn it off on the server to follow its binary log"),
            20 or 21 or 22 => throw new BinlogFormatException("rows events of version 0 (MySQL 5.1): the server is too old to be followed"),
            _ => throw new BinlogFormatException($"an event of type {type}, which ddbcopy does not know"),
        };
    }

    private BinlogEvent? FormatDescription(ReadOnlySpan<byte> data, DateTimeOffset timestamp, uint next)
    {
        // binlog version (2), server version (50), created (4), header length (1), post-header lengths, then the
        // checksum algorithm (1) and the checksum (4): every server that can be followed (MySQL 5.6.1+, MariaDB 5.3+) writes them.
        var reader = new ByteReader(data[HeaderLength..]);
        reader.Skip(2 + 50 + 4);
        if (reader.U8() != HeaderLength)
        {
            throw new BinlogFormatException("the format description names an event header that is not 19 bytes");
        }

        var count = reader.Remaining - 5;
        if (count < 0)
        {
            throw new BinlogFormatException("the format description has no checksum algorithm: the server is too old to be followed");
        }

        _postHeaders = reader.Bytes(count).ToArray();
        var algorithm = reader.U8();
        _checksums = algorithm switch
        {
            0 => false,
            1 => true,
            _ => throw new BinlogFormatException($"the binary log's checksum algorithm {algorithm} is not CRC32"),
        };
        if (_checksums == true)
        {
            Verify(data, 15);
        }

        _tables.Clear(); // table ids are per server start
        return null;
    }

    private static void Verify(ReadOnlySpan<byte> data, byte type)
    {
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(data[^4..]);
        var computed = Crc32.HashToUInt32(data[..^4]);
        if (stored != computed)
        {
            throw new BinlogFormatException(string.Create(CultureInfo.InvariantCulture,
                $"an event of type {type} fails its CRC32 checksum (stored {stored:x8}, computed {computed:x8})"));
        }
    }

    private static BinlogEvent Query(ref ByteReader reader, DateTimeOffset timestamp, uint next)
    {
        reader.Skip(8); // thread id, execution time
        var databaseLength = reader.U8();
        reader.Skip(2); // error code
        var statusLength = reader.U16();
        reader.Skip(statusLength);
        var database = reader.Text(databaseLength);
        reader.Skip(1);
        var sql = reader.Text(reader.Remaining);
        var verb = sql.TrimStart();
        return verb.Equals("BEGIN", StringComparison.OrdinalIgnoreCase) ? new BeginEvent(timestamp, next, null, Standalone: false)
            : verb.Equals("COMMIT", StringComparison.OrdinalIgnoreCase) ? new CommitEvent(timestamp, next)
            : verb.Equals("ROLLBACK", StringComparison.OrdinalIgnoreCase) ? new RollbackEvent(timestamp, next)
            : new StatementEvent(timestamp, next, database, sql);
    }

    private static RotateEvent Rotate(ref ByteReader reader, DateTimeOffset timestamp, uint next)
    {
        var position = reader.U64();
        return new RotateEvent(timestamp, next, reader.Text(reader.Remaining), position);
    }

    private static BeginEvent MySqlGtid(ref ByteReader reader, DateTimeOffset timestamp, uint next)
    {
        reader.Skip(1); // flags
        var sid = new Guid(reader.Bytes(16), bigEndian: true);
        var number = reader.U64();
        // A BEGIN statement follows for rows; a DDL statement follows alone (it commits itself): the GTID opens nothing.
        return new BeginEvent(timestamp, next, string.Create(CultureInfo.InvariantCulture, $"{sid}:{number}"), Standalone: true);
    }

    private static BeginEvent MariaDbGtid(ref ByteReader reader, DateTimeOffset timestamp, uint next, uint serverId)
    {
        var sequence = reader.U64();
        var domain = reader.U32();
        var flags = reader.U8();
        return new BeginEvent(timestamp, next, string.Create(CultureInfo.InvariantCulture, $"{domain}-{serverId}-{sequence}"), Standalone: (flags & 1) != 0);
    }

    private TableMapEvent TableMap(ref ByteReader reader, DateTimeOffset timestamp, uint next)
    {
        var id = TableId(ref reader, 19);
        reader.Skip(2); // flags
        var database = reader.Text(reader.U8());
        reader.Skip(1);
        var table = reader.Text(reader.U8());
        reader.Skip(1);
        var count = reader.Count();
        var types = reader.Bytes(count).ToArray();
        var metadataLength = reader.Count();
        var metadata = new ByteReader(reader.Bytes(metadataLength));
        var values = new ushort[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = ColumnTypes.ReadMetadata(ref metadata, types[i]);
        }

        // The null bitmap and the optional metadata (column names with binlog_row_metadata=FULL) follow; the columns come from information_schema.
        var map = new TableMapEvent(timestamp, next, id, database, table, types, values);
        _tables[id] = map;
        return map;
    }

    private RowsEvent? Rows(ref ByteReader reader, DateTimeOffset timestamp, uint next, RowChange change, bool version2)
    {
        var id = TableId(ref reader, (byte)(version2 ? 30 : 23));
        reader.Skip(2); // flags
        if (version2)
        {
            var extra = reader.U16();
            reader.Skip(Math.Max(0, extra - 2));
        }

        if (!_tables.TryGetValue(id, out var table))
        {
            throw new BinlogFormatException(string.Create(CultureInfo.InvariantCulture, $"a rows event names table id {id}, which no table map event before it did"));
        }

        if (Only is { } only && (table.Database != only.Database || table.Table != only.Table))
        {
            return null;
        }

        var count = reader.LengthEncoded();
        if (count != (ulong)table.Types.Length)
        {
            throw new BinlogFormatException($"a rows event of {table.Database}.{table.Table} has {count} columns, its table map {table.Types.Length}");
        }

        var present = Bitmap(ref reader, table.Types.Length);
        var presentAfter = change == RowChange.Update ? Bitmap(ref reader, table.Types.Length) : null;
        return new RowsEvent(timestamp, next, change, table, table.Types.Length, present, presentAfter, reader.Rest.ToArray());
    }

    /// <summary>The table id: 6 bytes, or 4 when the format description says the post-header is 6 bytes (old servers).</summary>
    private ulong TableId(ref ByteReader reader, byte type) =>
        _postHeaders.Length >= type && _postHeaders[type - 1] == 6 ? reader.U32() : reader.U48();

    internal static bool[] Bitmap(ref ByteReader reader, int count)
    {
        var bytes = reader.Bytes((count + 7) / 8);
        var bits = new bool[count];
        for (var i = 0; i < count; i++)
        {
            bits[i] = (bytes[i / 8] & (1 << (i % 8))) != 0;
        }

        return bits;
    }
}
