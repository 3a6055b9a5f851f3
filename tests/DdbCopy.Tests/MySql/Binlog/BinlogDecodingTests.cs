using System.Buffers.Binary;
using System.IO.Hashing;
using DdbCopy.Core.Sources.MySql;
using DdbCopy.Core.Sources.MySql.Binlog;

namespace DdbCopy.Tests.MySql.Binlog;

/// <summary>
/// The binary log's encodings, from byte strings written out by hand from the server's documentation (not made by the
/// code under test), and the parser's refusals: a malformed or unknown event is an error, never a crash or a silent skip.
/// </summary>
public sealed class BinlogDecodingTests
{
    [Theory]
    [InlineData("810DFB38D204D2", 14, 4, "1234567890.1234")] // MySQL's manual, "Precision Math: DECIMAL Data Type Characteristics"
    [InlineData("7EF204C72DFB2D", 14, 4, "-1234567890.1234")]
    [InlineData("8000000000", 10, 0, "0")]
    [InlineData("800000000A", 10, 2, "0.10")]
    [InlineData("7FFFFFFFF5", 10, 2, "-0.10")]
    public void Decimal_ReadsAsTheDriverPrintsIt(string hex, int precision, int scale, string expected)
    {
        var reader = new ByteReader(Convert.FromHexString(hex));
        Assert.Equal(expected, DecimalBinary.Read(ref reader, precision, scale));
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void JsonObject_ReadsAsTheServerPrintsIt()
    {
        // small object: count 1, size 12, key entry (offset 11, length 1), value entry (int16 inlined: 1), key "a"
        Assert.Equal("{\"a\": 1}", JsonBinary.ToText(Convert.FromHexString("0001000C000B00010005010061")));
        // small array of two: a literal true inlined, a string "x\n" at offset 10
        Assert.Equal("[true, \"x\\n\"]", JsonBinary.ToText(Convert.FromHexString("020200" + "0D00" + "040100" + "0C0A00" + "02780A")));
    }

    [Fact]
    public void EnumAndSetMembers_AreReadFromTheColumnType()
    {
        Assert.Equal(["s", "m", "it's", ""], BinlogTable.Members("enum('s','m','it''s','')"));
        Assert.Equal(["red", "a,b"], BinlogTable.Members("set('red','a,b')"));
    }

    [Fact]
    public void ATruncatedEvent_IsAFormatError() =>
        Assert.Throws<BinlogFormatException>(() => new BinlogEventParser().Parse(new byte[10]));

    [Fact]
    public void AnEventWhoseSizeIsNotItsLength_IsAFormatError() =>
        Assert.Contains("says it has 99 bytes", Assert.Throws<BinlogFormatException>(() => new BinlogEventParser().Parse(Event(16, new byte[8], sizeOverride: 99))).Message);

    [Fact]
    public void AnEventOfAnUnknownType_IsAFormatError_NotASkip() =>
        Assert.Contains("type 99", Assert.Throws<BinlogFormatException>(() => new BinlogEventParser().Parse(Event(99, []))).Message);

    [Fact]
    public void AnEventWithABadChecksum_AfterTheFormatSaysCrc32_IsAFormatError()
    {
        var parser = new BinlogEventParser();
        Assert.Null(parser.Parse(FormatDescription(crc: true)));
        var xid = WithCrc(Event(16, new byte[8], extra: 4));
        xid[^1] ^= 0xff;
        Assert.Contains("CRC32", Assert.Throws<BinlogFormatException>(() => parser.Parse(xid)).Message);
    }

    [Fact]
    public void RowsOfATableNoMapNamed_AreAFormatError()
    {
        var parser = new BinlogEventParser();
        parser.Parse(FormatDescription(crc: false));
        Assert.Contains("table id 7", Assert.Throws<BinlogFormatException>(() => parser.Parse(Event(23, [7, 0, 0, 0, 0, 0, 0, 0, 1, 1]))).Message);
    }

    [Fact]
    public void ACompressedTransaction_IsRefusedNamingTheSetting() =>
        Assert.Contains("binlog_transaction_compression", Assert.Throws<BinlogFormatException>(() => new BinlogEventParser().Parse(Event(40, new byte[4]))).Message);

    [Fact]
    public void AnXidAfterAFormatWithChecksums_IsACommitAtTheNextPosition()
    {
        var parser = new BinlogEventParser();
        parser.Parse(FormatDescription(crc: true));
        var commit = Assert.IsType<CommitEvent>(parser.Parse(WithCrc(Event(16, new byte[8], extra: 4, next: 1234))));
        Assert.Equal(1234u, commit.NextPosition);
    }

    [Fact]
    public void RowsEventsOfVersion2_AsMySql8WritesThem_DecodeWithTheirTableMap()
    {
        var parser = new BinlogEventParser();
        // table id 1, flags, `shop`.`t`, 2 columns: LONG, VARCHAR(80) (metadata 80 as two bytes), null bitmap
        var map = Assert.IsType<TableMapEvent>(parser.Parse(Event(19, Convert.FromHexString("010000000000" + "0100" + "0473686F7000" + "017400" + "02" + "030F" + "02" + "5000" + "02"))));
        // WRITE_ROWS v2: table id, flags, extra data length 2 (none), 2 columns, all present; a row: no nulls, 42, "hi"
        var write = Assert.IsType<RowsEvent>(parser.Parse(Event(30, Convert.FromHexString("010000000000" + "0100" + "0200" + "02" + "03" + "00" + "2A000000" + "026869"))));
        // UPDATE_ROWS v2: both bitmaps, then the before image (42, "hi") and the after image (43, NULL)
        var update = Assert.IsType<RowsEvent>(parser.Parse(Event(31, Convert.FromHexString("010000000000" + "0100" + "0200" + "02" + "03" + "03" + "00" + "2A000000" + "026869" + "02" + "2B000000"))));
        BinlogColumn[] columns = [new("id"), new("name")];

        Assert.Equal(("shop", "t"), (map.Database, map.Table));
        var written = Assert.Single(RowDecoder.Decode(write, columns));
        Assert.Equal([42, "hi"], written.After!);
        Assert.Null(written.Before);
        var updated = Assert.Single(RowDecoder.Decode(update, columns));
        Assert.Equal([42, "hi"], updated.Before!);
        Assert.Equal([43, null], updated.After!);
    }

    [Fact]
    public void RowsOfATableNotFollowed_ArePassedOver_AndRowsOfTheFollowedOneRead()
    {
        var parser = new BinlogEventParser { Only = ("shop", "t") };
        // `shop`.`t` is table id 1, `shop`.`other` table id 2 (both LONG, VARCHAR(80)); the maps are read either way.
        Assert.IsType<TableMapEvent>(parser.Parse(Event(19, Convert.FromHexString("010000000000" + "0100" + "0473686F7000" + "017400" + "02" + "030F" + "02" + "5000" + "02"))));
        Assert.IsType<TableMapEvent>(parser.Parse(Event(19, Convert.FromHexString("020000000000" + "0100" + "0473686F7000" + "056F7468657200" + "02" + "030F" + "02" + "5000" + "02"))));
        // A WRITE_ROWS v2 of `other` whose images would not even decode (a column count its map does not have) is passed over unread.
        Assert.Null(parser.Parse(Event(30, Convert.FromHexString("020000000000" + "0100" + "0200" + "07" + "FF"))));
        var write = Assert.IsType<RowsEvent>(parser.Parse(Event(30, Convert.FromHexString("010000000000" + "0100" + "0200" + "02" + "03" + "00" + "2A000000" + "026869"))));
        Assert.Equal([42, "hi"], Assert.Single(RowDecoder.Decode(write, [new("id"), new("name")])).After!);
        // Without a table named, the same event of `other` is read, and its wrong column count is an error.
        var every = new BinlogEventParser();
        every.Parse(Event(19, Convert.FromHexString("020000000000" + "0100" + "0473686F7000" + "056F7468657200" + "02" + "030F" + "02" + "5000" + "02")));
        Assert.Throws<BinlogFormatException>(() => every.Parse(Event(30, Convert.FromHexString("020000000000" + "0100" + "0200" + "07" + "FF"))));
    }

    private static byte[] FormatDescription(bool crc)
    {
        var body = new List<byte>();
        body.AddRange([4, 0]);
        body.AddRange(new byte[50]);
        body.AddRange(new byte[4]);
        body.Add(19);
        body.AddRange(Enumerable.Repeat((byte)8, 40)); // post-header lengths
        body.Add((byte)(crc ? 1 : 0));
        body.AddRange(new byte[4]);
        var data = Event(15, [.. body]);
        return crc ? WithCrc(data) : data;
    }

    /// <summary>A 19-byte header (type, size, next position) and a body; <paramref name="extra"/> bytes left for a checksum.</summary>
    private static byte[] Event(byte type, byte[] body, int extra = 0, uint next = 0, uint? sizeOverride = null)
    {
        var data = new byte[19 + body.Length + extra];
        data[4] = type;
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(9), sizeOverride ?? (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(13), next);
        body.CopyTo(data, 19);
        return data;
    }

    private static byte[] WithCrc(byte[] data)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(data.Length - 4), Crc32.HashToUInt32(data.AsSpan(0, data.Length - 4)));
        return data;
    }
}
