using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace DdbCopy.Core.Sources.MySql.Binlog;

/// <summary>
/// MySQL's binary JSON (a JSON column's value in the binary log) as the text the server gives for it in a query:
/// objects and arrays (small: 2-byte counts and offsets; large: 4-byte), literals, integers, doubles, strings, and the
/// opaque values MySQL keeps in JSON (DECIMAL, dates and times), with ", " and ": " between members as the server writes them.
/// MariaDB keeps JSON as text, which never comes here.
/// </summary>
internal static class JsonBinary
{
    public static string ToText(ReadOnlySpan<byte> value)
    {
        if (value.Length == 0)
        {
            return "null";
        }

        var text = new StringBuilder();
        Value(value, value[0], 1, text, depth: 0);
        return text.ToString();
    }

    /// <param name="at">Where the value starts in <paramref name="document"/> (its type already read).</param>
    private static void Value(ReadOnlySpan<byte> document, byte type, int at, StringBuilder text, int depth)
    {
        if (depth > 100)
        {
            throw new BinlogFormatException("a JSON value nested more than 100 deep");
        }

        var reader = new ByteReader(document) { Position = at };
        switch (type)
        {
            case 0x00 or 0x01:
                Container(document, at, large: type == 0x01, isObject: true, text, depth);
                break;
            case 0x02 or 0x03:
                Container(document, at, large: type == 0x03, isObject: false, text, depth);
                break;
            case 0x04:
                text.Append(reader.U8() switch
                {
                    0 => "null",
                    1 => "true",
                    2 => "false",
                    var other => throw new BinlogFormatException($"a JSON literal {other}"),
                });
                break;
            case 0x05:
                text.Append(((short)reader.U16()).ToString(CultureInfo.InvariantCulture));
                break;
            case 0x06:
                text.Append(reader.U16().ToString(CultureInfo.InvariantCulture));
                break;
            case 0x07:
                text.Append(((int)reader.U32()).ToString(CultureInfo.InvariantCulture));
                break;
            case 0x08:
                text.Append(reader.U32().ToString(CultureInfo.InvariantCulture));
                break;
            case 0x09:
                text.Append(((long)reader.U64()).ToString(CultureInfo.InvariantCulture));
                break;
            case 0x0a:
                text.Append(reader.U64().ToString(CultureInfo.InvariantCulture));
                break;
            case 0x0b:
                var number = BinaryPrimitives.ReadDoubleLittleEndian(reader.Bytes(8));
                text.Append(number.ToString("R", CultureInfo.InvariantCulture).Replace("E+", "e", StringComparison.Ordinal).Replace("E-", "e-", StringComparison.Ordinal));
                break;
            case 0x0c:
                Quote(Encoding.UTF8.GetString(reader.Bytes(VariableLength(ref reader))), text);
                break;
            case 0x0f:
                Opaque(ref reader, text);
                break;
            default:
                throw new BinlogFormatException($"a JSON value of type 0x{type:x2}");
        }

    }

    private static void Container(ReadOnlySpan<byte> document, int start, bool large, bool isObject, StringBuilder text, int depth)
    {
        var width = large ? 4 : 2;
        var reader = new ByteReader(document) { Position = start };
        var count = (int)reader.UInt(width);
        var size = (int)reader.UInt(width);
        if (start + size > document.Length)
        {
            throw new BinlogFormatException($"a JSON {(isObject ? "object" : "array")} of {size} bytes runs past its value's end");
        }

        var body = document.Slice(start, size);
        var header = 2 * width;
        var keyEntry = width + 2;
        var valueEntry = 1 + width;
        text.Append(isObject ? '{' : '[');
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            if (isObject)
            {
                var keys = new ByteReader(body) { Position = header + (i * keyEntry) };
                var keyOffset = (int)keys.UInt(width);
                var keyLength = keys.U16();
                Quote(Encoding.UTF8.GetString(new ByteReader(body) { Position = keyOffset }.Bytes(keyLength)), text);
                text.Append(": ");
            }

            var entries = new ByteReader(body) { Position = header + (isObject ? count * keyEntry : 0) + (i * valueEntry) };
            var type = entries.U8();
            var inlined = type is 0x04 or 0x05 or 0x06 || (large && type is 0x07 or 0x08);
            if (inlined)
            {
                Value(body, type, entries.Position, text, depth + 1);
            }
            else
            {
                Value(body, type, (int)entries.UInt(width), text, depth + 1);
            }
        }

        text.Append(isObject ? '}' : ']');
    }

    /// <summary>A length in 7-bit groups, lowest first, the high bit saying another follows.</summary>
    private static int VariableLength(ref ByteReader reader)
    {
        var length = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = reader.U8();
            length |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return length;
            }
        }

        throw new BinlogFormatException("a JSON string length of more than five bytes");
    }

    /// <summary>A MySQL value kept in JSON: DECIMAL as a number, DATE/TIME/DATETIME/TIMESTAMP as the quoted text the server prints.</summary>
    private static void Opaque(ref ByteReader reader, StringBuilder text)
    {
        var type = reader.U8();
        var data = new ByteReader(reader.Bytes(VariableLength(ref reader)));
        switch (type)
        {
            case ColumnTypes.NewDecimal:
                var precision = data.U8();
                var scale = data.U8();
                text.Append(DecimalBinary.Read(ref data, precision, scale));
                break;
            case ColumnTypes.Date or ColumnTypes.DateTime or ColumnTypes.Timestamp or ColumnTypes.Time:
                var packed = (long)data.U64();
                var negative = packed < 0;
                var magnitude = Math.Abs(packed);
                var micro = magnitude % (1L << 24);
                var whole = magnitude >> 24;
                var hms = whole % (1L << 17);
                var ymd = whole >> 17;
                var clock = string.Create(CultureInfo.InvariantCulture, $"{hms >> 12:00}:{(hms >> 6) % 64:00}:{hms % 64:00}.{micro:000000}");
                Quote(type switch
                {
                    ColumnTypes.Time => string.Create(CultureInfo.InvariantCulture, $"{(negative ? "-" : "")}{(whole >> 12) % (1 << 10):00}:{(whole >> 6) % 64:00}:{whole % 64:00}.{micro:000000}"),
                    ColumnTypes.Date => string.Create(CultureInfo.InvariantCulture, $"{(ymd >> 5) / 13:0000}-{(ymd >> 5) % 13:00}-{ymd % 32:00}"),
                    _ => string.Create(CultureInfo.InvariantCulture, $"{(ymd >> 5) / 13:0000}-{(ymd >> 5) % 13:00}-{ymd % 32:00} ") + clock,
                }, text);
                break;
            default:
                Quote(string.Create(CultureInfo.InvariantCulture, $"base64:type{type}:{Convert.ToBase64String(data.Rest)}"), text);
                break;
        }
    }

    /// <summary>A JSON string as MySQL prints it: UTF-8 as it is, quotes, backslashes and control characters escaped.</summary>
    private static void Quote(string value, StringBuilder text)
    {
        text.Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                '\b' => text.Append("\\b"),
                '\f' => text.Append("\\f"),
                < ' ' => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => text.Append(c),
            };
        }

        text.Append('"');
    }
}
