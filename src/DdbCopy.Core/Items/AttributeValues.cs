using System.Globalization;
using System.Numerics;
using System.Text;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Items;

/// <summary>Equality, order and size of attribute values as DynamoDB's expressions define them.</summary>
internal static class AttributeValues
{
    /// <summary>Same type and same value: numbers by value, sets whatever their order, lists in order, maps member by member.</summary>
    public static bool AreEqual(AttributeValue a, AttributeValue b)
    {
        if (a.S is not null) return b.S is not null && string.Equals(a.S, b.S, StringComparison.Ordinal);
        if (a.N is not null) return b.N is not null && CompareNumbers(a.N, b.N) == 0;
        if (a.B is not null) return b.B is not null && a.B.ToArray().AsSpan().SequenceEqual(b.B.ToArray());
        if (a.BOOL is not null) return b.BOOL is not null && a.BOOL == b.BOOL;
        if (a.NULL is not null) return b.NULL is not null;
        if (a.SS is not null) return b.SS is not null && a.SS.ToHashSet(StringComparer.Ordinal).SetEquals(b.SS);
        if (a.NS is not null) return b.NS is not null && a.NS.Count == b.NS.Count && a.NS.All(x => b.NS.Any(y => CompareNumbers(x, y) == 0));
        if (a.BS is not null) return b.BS is not null && a.BS.Count == b.BS.Count && a.BS.All(x => b.BS.Any(y => x.ToArray().AsSpan().SequenceEqual(y.ToArray())));
        if (a.L is not null) return b.L is not null && a.L.Count == b.L.Count && a.L.Zip(b.L).All(p => AreEqual(p.First, p.Second));
        if (a.M is not null)
        {
            return b.M is not null && a.M.Count == b.M.Count
                && a.M.All(kv => b.M.TryGetValue(kv.Key, out var other) && AreEqual(kv.Value, other));
        }

        return false;
    }

    /// <summary>The order of two strings (UTF-8 bytes), numbers or binaries; null when they cannot be compared (other types, or two types).</summary>
    public static int? Compare(AttributeValue a, AttributeValue b)
    {
        if (a.S is not null && b.S is not null) return Encoding.UTF8.GetBytes(a.S).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b.S));
        if (a.N is not null && b.N is not null) return CompareNumbers(a.N, b.N);
        if (a.B is not null && b.B is not null) return a.B.ToArray().AsSpan().SequenceCompareTo(b.B.ToArray());
        return null;
    }

    /// <summary>What size() gives: a string's length in UTF-16 code units (as DynamoDB Local counts it), a binary's bytes, a set's, list's or map's elements; null for other types.</summary>
    public static int? Size(AttributeValue value)
    {
        if (value.S is not null) return value.S.Length;
        if (value.B is not null) return (int)value.B.Length;
        if (value.SS is not null) return value.SS.Count;
        if (value.NS is not null) return value.NS.Count;
        if (value.BS is not null) return value.BS.Count;
        if (value.L is not null) return value.L.Count;
        if (value.M is not null) return value.M.Count;
        return null;
    }

    /// <summary>The type's name as attribute_type() takes it: S, N, B, BOOL, NULL, SS, NS, BS, L, M.</summary>
    public static string TypeOf(AttributeValue value) =>
        value.S is not null ? "S" : value.N is not null ? "N" : value.B is not null ? "B" : value.BOOL is not null ? "BOOL"
        : value.NULL is not null ? "NULL" : value.SS is not null ? "SS" : value.NS is not null ? "NS" : value.BS is not null ? "BS"
        : value.L is not null ? "L" : value.M is not null ? "M" : "?";

    /// <summary>Two DynamoDB numbers by value, exactly (38 digits and more, exponents included).</summary>
    public static int CompareNumbers(string a, string b)
    {
        var (x, xe) = Decimal(a);
        var (y, ye) = Decimal(b);
        if (xe > ye)
        {
            x *= BigInteger.Pow(10, xe - ye);
        }
        else if (ye > xe)
        {
            y *= BigInteger.Pow(10, ye - xe);
        }

        return x.CompareTo(y);
    }

    /// <summary>A number as an integer of significant digits and a power of ten.</summary>
    private static (BigInteger Digits, int Exponent) Decimal(string text)
    {
        var s = text.Trim();
        var exponent = 0;
        var e = s.IndexOfAny(['e', 'E']);
        if (e >= 0)
        {
            exponent = int.Parse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..e];
        }

        var dot = s.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            exponent -= s.Length - dot - 1;
            s = s.Remove(dot, 1);
        }

        return (BigInteger.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture), exponent);
    }
}
