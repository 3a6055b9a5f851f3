using System.Text;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Items;

/// <summary>
/// The size of an item as DynamoDB counts it for capacity and limits: attribute names plus values
/// (strings as UTF-8, numbers about one byte per two digits plus one, binaries as is, and a few bytes
/// of overhead for lists, maps and booleans). Errs on the high side so estimates are not too low.
/// </summary>
public static class ItemSize
{
    public const int MaxItemBytes = 400 * 1024;

    public static int Of(IReadOnlyDictionary<string, AttributeValue> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        long total = 0;
        foreach (var (name, value) in item)
        {
            total += Encoding.UTF8.GetByteCount(name) + OfValue(value);
        }

        return (int)Math.Min(total, int.MaxValue);
    }

    /// <summary>Write capacity units for one put of an item of this size: one per started KB.</summary>
    public static int WriteUnits(int sizeBytes) => Math.Max(1, (sizeBytes + 1023) / 1024);

    private static long OfValue(AttributeValue value)
    {
        if (value.S is not null) return Encoding.UTF8.GetByteCount(value.S);
        if (value.N is not null) return NumberSize(value.N);
        if (value.B is not null) return value.B.Length;
        if (value.BOOL is not null || value.NULL is not null) return 1;
        if (value.SS is not null) return value.SS.Sum(s => (long)Encoding.UTF8.GetByteCount(s));
        if (value.NS is not null) return value.NS.Sum(NumberSize);
        if (value.BS is not null) return value.BS.Sum(b => b.Length);
        if (value.L is not null) return 3 + value.L.Sum(v => 1 + OfValue(v));
        if (value.M is not null) return 3 + value.M.Sum(kv => 1 + Encoding.UTF8.GetByteCount(kv.Key) + OfValue(kv.Value));
        return 1;
    }

    private static long NumberSize(string number) => 1 + (number.Count(char.IsAsciiDigit) + 1) / 2;
}
