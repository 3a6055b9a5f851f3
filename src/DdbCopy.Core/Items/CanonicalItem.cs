using System.Buffers;
using System.IO.Hashing;
using System.Text;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Items;

/// <summary>
/// Writes an item in one canonical form, so that two items DynamoDB holds equal are written alike: numbers by value
/// (<c>1.50</c>, <c>1.5</c> and <c>15E-1</c> are one number), sets without their order, map entries by name; every value
/// tagged with its type (the number 1 is not the string "1") and every length given (no two items run together).
/// Written by hand: the SDK has no canonical form, and hashing a JSON rendering would depend on its order.
/// </summary>
public static class CanonicalItem
{
    /// <summary>The 128-bit hash of the item's canonical form.</summary>
    public static UInt128 Hash(IReadOnlyDictionary<string, AttributeValue> item)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteMap(buffer, item);
        return XxHash128.HashToUInt128(buffer.WrittenSpan);
    }

    /// <summary>The hash of only the key attributes (the item's identity).</summary>
    public static UInt128 KeyHash(IReadOnlyDictionary<string, AttributeValue> item, IReadOnlyList<string> keyNames)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(keyNames);
        var buffer = new ArrayBufferWriter<byte>(64);
        foreach (var name in keyNames)
        {
            WriteString(buffer, name);
            if (item.TryGetValue(name, out var value))
            {
                WriteValue(buffer, value);
            }
            else
            {
                buffer.Write("?"u8);
            }
        }

        return XxHash128.HashToUInt128(buffer.WrittenSpan);
    }

    /// <summary>A DynamoDB number in one form: sign, significant digits without leading or trailing zeros, exponent.</summary>
    public static string Number(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        var negative = s.StartsWith('-');
        if (negative || s.StartsWith('+'))
        {
            s = s[1..];
        }

        long exponent = 0;
        var e = s.IndexOfAny(['e', 'E']);
        if (e >= 0)
        {
            if (!long.TryParse(s[(e + 1)..], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out exponent))
            {
                return "?" + text;
            }

            s = s[..e];
        }

        var dot = s.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? s : s[..dot] + s[(dot + 1)..];
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            return "?" + text;
        }

        exponent -= dot < 0 ? 0 : s.Length - dot - 1;
        digits = digits.TrimStart('0');
        if (digits.Length == 0)
        {
            return "0";
        }

        var significant = digits.TrimEnd('0');
        exponent += digits.Length - significant.Length;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(negative ? "-" : "")}{significant}e{exponent}");
    }

    private static void WriteMap(IBufferWriter<byte> output, IReadOnlyDictionary<string, AttributeValue> map)
    {
        WriteLength(output, map.Count);
        foreach (var name in map.Keys.Order(StringComparer.Ordinal))
        {
            WriteString(output, name);
            WriteValue(output, map[name]);
        }
    }

    private static void WriteValue(IBufferWriter<byte> output, AttributeValue value)
    {
        if (value.S is not null)
        {
            Tag(output, 'S');
            WriteString(output, value.S);
        }
        else if (value.N is not null)
        {
            Tag(output, 'N');
            WriteString(output, Number(value.N));
        }
        else if (value.B is not null)
        {
            Tag(output, 'B');
            WriteBytes(output, value.B.ToArray());
        }
        else if (value.BOOL is not null)
        {
            Tag(output, value.BOOL.Value ? 'T' : 'F');
        }
        else if (value.NULL is not null)
        {
            Tag(output, '0');
        }
        else if (value.SS is not null)
        {
            WriteSet(output, 's', value.SS.Select(Encoding.UTF8.GetBytes));
        }
        else if (value.NS is not null)
        {
            WriteSet(output, 'n', value.NS.Select(n => Encoding.UTF8.GetBytes(Number(n))));
        }
        else if (value.BS is not null)
        {
            WriteSet(output, 'b', value.BS.Select(b => b.ToArray()));
        }
        else if (value.L is not null)
        {
            Tag(output, 'L');
            WriteLength(output, value.L.Count);
            foreach (var element in value.L)
            {
                WriteValue(output, element);
            }
        }
        else if (value.M is not null)
        {
            Tag(output, 'M');
            WriteMap(output, value.M);
        }
        else
        {
            Tag(output, '?');
        }
    }

    /// <summary>A set: its elements in byte order, so the order DynamoDB returned them in does not matter.</summary>
    private static void WriteSet(IBufferWriter<byte> output, char tag, IEnumerable<byte[]> elements)
    {
        Tag(output, tag);
        var sorted = elements.Distinct(ByteArrays.Instance).Order(ByteArrays.Instance).ToList();
        WriteLength(output, sorted.Count);
        foreach (var element in sorted)
        {
            WriteBytes(output, element);
        }
    }

    private static void Tag(IBufferWriter<byte> output, char tag) => output.Write([(byte)tag]);

    private static void WriteString(IBufferWriter<byte> output, string text) => WriteBytes(output, Encoding.UTF8.GetBytes(text));

    private static void WriteBytes(IBufferWriter<byte> output, byte[] bytes)
    {
        WriteLength(output, bytes.Length);
        output.Write(bytes);
    }

    private static void WriteLength(IBufferWriter<byte> output, int length)
    {
        Span<byte> bytes = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
        output.Write(bytes);
    }

    private sealed class ByteArrays : IComparer<byte[]>, IEqualityComparer<byte[]>
    {
        public static ByteArrays Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(obj);
            return hash.ToHashCode();
        }
    }
}
