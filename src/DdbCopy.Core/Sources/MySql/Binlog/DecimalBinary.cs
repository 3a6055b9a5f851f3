using System.Globalization;
using System.Text;

namespace DdbCopy.Core.Sources.MySql.Binlog;

/// <summary>
/// DECIMAL(p, s) as the binary log stores it: the integer and the fraction parts each in groups of nine digits in four
/// big-endian bytes (a shorter group for the leftover digits), the sign in the first bit (set for positive), negative
/// numbers with every byte inverted. The text is the driver's: no leading zeros, exactly s digits after the point.
/// </summary>
internal static class DecimalBinary
{
    private static readonly int[] BytesOfDigits = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4];

    public static int Size(int precision, int scale)
    {
        var integer = precision - scale;
        return (integer / 9 * 4) + BytesOfDigits[integer % 9] + (scale / 9 * 4) + BytesOfDigits[scale % 9];
    }

    public static string Read(ref ByteReader reader, int precision, int scale)
    {
        if (precision < 1 || precision > 65 || scale > 30 || scale > precision)
        {
            throw new BinlogFormatException($"DECIMAL({precision},{scale}) is not a valid decimal");
        }

        var bytes = reader.Bytes(Size(precision, scale)).ToArray();
        var negative = (bytes[0] & 0x80) == 0;
        bytes[0] ^= 0x80;
        if (negative)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)~bytes[i];
            }
        }

        var integer = precision - scale;
        var offset = 0;
        var text = new StringBuilder(precision + 2);
        if (negative)
        {
            text.Append('-');
        }

        var digits = new StringBuilder(integer);
        Group(bytes, ref offset, integer % 9, digits);
        for (var i = 0; i < integer / 9; i++)
        {
            Group(bytes, ref offset, 9, digits);
        }

        var whole = digits.ToString().TrimStart('0');
        text.Append(whole.Length == 0 ? "0" : whole);
        if (scale > 0)
        {
            text.Append('.');
            for (var i = 0; i < scale / 9; i++)
            {
                Group(bytes, ref offset, 9, text);
            }

            Group(bytes, ref offset, scale % 9, text);
        }

        return text.ToString();
    }

    /// <summary>Appends a group of <paramref name="digits"/> digits (zero-padded) stored in the fewest big-endian bytes.</summary>
    private static void Group(byte[] bytes, ref int offset, int digits, StringBuilder text)
    {
        if (digits == 0)
        {
            return;
        }

        var size = BytesOfDigits[digits];
        uint value = 0;
        for (var i = 0; i < size; i++)
        {
            value = (value << 8) | bytes[offset + i];
        }

        offset += size;
        if (value >= Pow10(digits))
        {
            throw new BinlogFormatException($"a DECIMAL group holds {value}, more than {digits} digits");
        }

        text.Append(value.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0'));
    }

    private static uint Pow10(int digits)
    {
        uint value = 1;
        for (var i = 0; i < digits; i++)
        {
            value *= 10;
        }

        return value;
    }
}
