using System.Buffers.Binary;
using MySqlConnector;

namespace DdbCopy.Core.Sources.MySql.Binlog;

/// <summary>
/// The column types of the binary log: each one's metadata in a table map event, and its values in a row image,
/// decoded to the CLR types MySqlConnector gives for the same column (so the full load and the follow map values
/// through one code path, <see cref="MySqlValues.Convert"/>).
/// </summary>
internal static class ColumnTypes
{
    public const byte Decimal = 0, Tiny = 1, Short = 2, Long = 3, Float = 4, Double = 5, Null = 6, Timestamp = 7, LongLong = 8, Int24 = 9, Date = 10,
        Time = 11, DateTime = 12, Year = 13, NewDate = 14, VarChar = 15, Bit = 16, Timestamp2 = 17, DateTime2 = 18, Time2 = 19, Json = 245,
        NewDecimal = 246, Enum = 247, Set = 248, TinyBlob = 249, MediumBlob = 250, LongBlob = 251, Blob = 252, VarString = 253, String = 254,
        Geometry = 255;

    /// <summary>A column's metadata: one byte, two (STRING, ENUM, SET big-endian; the rest little-endian) or none.</summary>
    public static ushort ReadMetadata(ref ByteReader reader, byte type) => type switch
    {
        Float or Double or Blob or TinyBlob or MediumBlob or LongBlob or Geometry or Json or Timestamp2 or DateTime2 or Time2 => reader.U8(),
        VarChar or VarString or Bit or NewDecimal => reader.U16(),
        String or Enum or Set => (ushort)((reader.U8() << 8) | reader.U8()),
        Decimal or Tiny or Short or Long or Null or Timestamp or LongLong or Int24 or Date or Time or DateTime or Year or NewDate => 0,
        _ => throw new BinlogFormatException($"a column of binary log type {type}, which ddbcopy does not know"),
    };

    /// <summary>One value of a row image.</summary>
    public static object Read(ref ByteReader reader, byte type, ushort metadata, BinlogColumn column)
    {
        switch (type)
        {
            case Tiny:
                return column.Unsigned ? reader.U8() : (sbyte)reader.U8();
            case Short:
                return column.Unsigned ? reader.U16() : (short)reader.U16();
            case Int24:
                var medium = reader.U24();
                return column.Unsigned ? medium : ((int)(medium << 8)) >> 8;
            case Long:
                return column.Unsigned ? reader.U32() : (int)reader.U32();
            case LongLong:
                return column.Unsigned ? reader.U64() : (long)reader.U64();
            case Float:
                return BinaryPrimitives.ReadSingleLittleEndian(reader.Bytes(4));
            case Double:
                return BinaryPrimitives.ReadDoubleLittleEndian(reader.Bytes(8));
            case NewDecimal:
                return DecimalBinary.Read(ref reader, metadata & 0xff, metadata >> 8);
            case Year:
                var year = reader.U8();
                return year == 0 ? 0 : 1900 + year;
            case Date:
                var date = reader.U24();
                return Temporal.Date((int)(date >> 9), (int)((date >> 5) & 15), (int)(date & 31));
            case Timestamp:
                return Temporal.FromUnix(reader.U32(), 0);
            case Timestamp2:
                var seconds = (uint)reader.UIntBigEndian(4);
                return Temporal.FromUnix(seconds, Temporal.Fraction(ref reader, metadata));
            case DateTime2:
                return Temporal.DateTime2(ref reader, metadata);
            case DateTime:
                return Temporal.OldDateTime(reader.U64());
            case Time2:
                return Temporal.Time2(ref reader, metadata);
            case Time:
                var hms = (int)(reader.U24() << 8) >> 8;
                var sign = hms < 0 ? -1 : 1;
                hms = Math.Abs(hms);
                return sign * new TimeSpan(hms / 10000, hms / 100 % 100, hms % 100);
            case Bit:
                return reader.UIntBigEndian((metadata >> 8) + ((metadata & 0xff) > 0 ? 1 : 0));
            case VarChar or VarString:
                return Text(reader.Bytes(metadata > 255 ? reader.U16() : reader.U8()), column);
            case String or Enum or Set:
                return FixedString(ref reader, metadata, column);
            case Blob or TinyBlob or MediumBlob or LongBlob or Geometry:
                return Text(reader.Bytes(Length(ref reader, metadata)), column);
            case Json:
                return JsonBinary.ToText(reader.Bytes(Length(ref reader, metadata)));
            case Null:
                return DBNull.Value;
            default:
                throw new BinlogFormatException($"a value of binary log type {type} (column '{column.Name}') cannot be read");
        }
    }

    /// <summary>CHAR (a length of one or two bytes), or an ENUM (its index) or SET (a bitmap of its members), as the STRING type's metadata says.</summary>
    private static object FixedString(ref ByteReader reader, ushort metadata, BinlogColumn column)
    {
        var real = metadata >> 8;
        var length = metadata & 0xff;
        if ((real & 0x30) != 0x30)
        {
            length |= ((real & 0x30) ^ 0x30) << 4;
            real |= 0x30;
        }

        switch (real)
        {
            case Enum:
                var index = (int)reader.UInt(length);
                return index == 0 ? "" : index <= column.Members.Count ? column.Members[index - 1]
                    : throw new BinlogFormatException($"ENUM column '{column.Name}' holds member {index} of {column.Members.Count}");
            case Set:
                var bits = reader.UInt(length);
                return string.Join(',', column.Members.Where((_, i) => i < 64 && (bits & (1UL << i)) != 0));
            default:
                return Text(reader.Bytes(length > 255 ? reader.U16() : reader.U8()), column);
        }
    }

    private static int Length(ref ByteReader reader, ushort bytes) => bytes is >= 1 and <= 4
        ? checked((int)reader.UInt(bytes))
        : throw new BinlogFormatException($"a length of {bytes} bytes is not 1 to 4");

    private static object Text(ReadOnlySpan<byte> bytes, BinlogColumn column)
    {
        if (column.Encoding is { } encoding)
        {
            return encoding.GetString(bytes);
        }

        if (bytes.Length < column.PadTo)
        {
            var padded = new byte[column.PadTo];
            bytes.CopyTo(padded);
            return padded;
        }

        return bytes.ToArray();
    }

    /// <summary>DATE, DATETIME, TIMESTAMP and TIME values: a DateTime, a MySqlDateTime for a zero or partly zero date, or a TimeSpan.</summary>
    private static class Temporal
    {
        public static object Date(int year, int month, int day) => Valid(year, month, day)
            ? new System.DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc)
            : new MySqlDateTime(year, month, day, 0, 0, 0, 0);

        public static object FromUnix(uint seconds, int microseconds) => seconds == 0 && microseconds == 0
            ? new MySqlDateTime(0, 0, 0, 0, 0, 0, 0)
            : System.DateTime.UnixEpoch.AddSeconds(seconds).AddTicks(microseconds * 10L);

        /// <summary>The fraction of a second of fsp digits (0-6) in (fsp + 1) / 2 big-endian bytes, in microseconds.</summary>
        public static int Fraction(ref ByteReader reader, int fsp) => fsp switch
        {
            0 => 0,
            1 or 2 => (int)reader.UIntBigEndian(1) * 10000,
            3 or 4 => (int)reader.UIntBigEndian(2) * 100,
            5 or 6 => (int)reader.UIntBigEndian(3),
            _ => throw new BinlogFormatException($"a fractional second of {fsp} digits"),
        };

        public static object DateTime2(ref ByteReader reader, int fsp)
        {
            var packed = (long)reader.UIntBigEndian(5) - 0x8000000000L;
            var micro = Fraction(ref reader, fsp);
            var ymd = packed >> 17;
            var ym = ymd >> 5;
            var hms = packed % (1 << 17);
            return At((int)(ym / 13), (int)(ym % 13), (int)(ymd % 32), (int)(hms >> 12), (int)((hms >> 6) % 64), (int)(hms % 64), micro);
        }

        public static object OldDateTime(ulong value)
        {
            var date = value / 1000000;
            var time = value % 1000000;
            return At((int)(date / 10000), (int)(date / 100 % 100), (int)(date % 100), (int)(time / 10000), (int)(time / 100 % 100), (int)(time % 100), 0);
        }

        /// <summary>TIME(fsp): the packed value of MySQL's my_time_packed_from_binary, hours up to 838, negative too.</summary>
        public static TimeSpan Time2(ref ByteReader reader, int fsp)
        {
            long packed;
            switch (fsp)
            {
                case 0:
                    packed = ((long)reader.UIntBigEndian(3) - 0x800000L) << 24;
                    break;
                case 1 or 2:
                    var whole = (long)reader.UIntBigEndian(3) - 0x800000L;
                    long tenths = (sbyte)reader.U8();
                    if (whole < 0 && tenths != 0)
                    {
                        (whole, tenths) = (whole + 1, tenths - 0x100);
                    }

                    packed = (whole << 24) + (tenths * 10000);
                    break;
                case 3 or 4:
                    var integer = (long)reader.UIntBigEndian(3) - 0x800000L;
                    long hundredths = (short)reader.UIntBigEndian(2);
                    if (integer < 0 && hundredths != 0)
                    {
                        (integer, hundredths) = (integer + 1, hundredths - 0x10000);
                    }

                    packed = (integer << 24) + (hundredths * 100);
                    break;
                case 5 or 6:
                    packed = (long)reader.UIntBigEndian(6) - 0x800000000000L;
                    break;
                default:
                    throw new BinlogFormatException($"a fractional second of {fsp} digits");
            }

            var negative = packed < 0;
            var magnitude = Math.Abs(packed);
            var hms = magnitude >> 24;
            var micro = magnitude % (1L << 24);
            var span = new TimeSpan((hms >> 12) % (1 << 10) * TimeSpan.TicksPerHour + ((hms >> 6) % 64 * TimeSpan.TicksPerMinute)
                + (hms % 64 * TimeSpan.TicksPerSecond) + (micro * 10));
            return negative ? -span : span;
        }

        private static object At(int year, int month, int day, int hour, int minute, int second, int micro) => Valid(year, month, day)
            ? new System.DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(micro * 10L)
            : new MySqlDateTime(year, month, day, hour, minute, second, micro);

        private static bool Valid(int year, int month, int day) =>
            year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= System.DateTime.DaysInMonth(year, month);
    }
}
