using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Shaping;

/// <summary>
/// Replaces the values at some paths with keyed, deterministic stand-ins: the same value and key always give the same
/// stand-in (so joins and uniqueness survive), and without the key a value cannot be found by hashing guesses
/// (HMAC-SHA-256). Formats are kept: an e-mail address becomes <c>u_&lt;hex&gt;@example.invalid</c>, digits become
/// digits (a number stays a number of as many significant digits, its sign and magnitude kept), ASCII letters become
/// letters of the same case, other characters other characters of the same Unicode plane, other ASCII characters stay;
/// binaries keep their length. Every stand-in is a <see cref="FormatPermutation"/> of its value, a bijection: two
/// different values never get the same stand-in, so masked key attributes never make two items one. Sets and lists are
/// masked element by element, a map's members all; booleans and nulls stay. A path step that meets a list applies to
/// each of its elements.
/// </summary>
public sealed partial class ItemMasker(byte[] key, IReadOnlyList<AttributePath> paths)
{
    private const int BasicPlane = 0x10000 - 0x80 - 0x800; // the basic plane's code points above ASCII, surrogates left out
    private const int Astral = 0x100000; // the code points of the other planes

    private readonly byte[] _key = key.ToArray();
    private readonly FormatPermutation _permutation = new(HMACSHA256.HashData(key, "ddbcopy mask permutation"u8));

    public IReadOnlyList<AttributePath> Paths => paths;

    /// <summary>A short, stable fingerprint of the key (not the key): a resumed job must mask with the same one.</summary>
    public string KeyFingerprint => Convert.ToHexStringLower(HMACSHA256.HashData(_key, "ddbcopy mask key"u8))[..16];

    /// <summary>Masks the item's values in place.</summary>
    public void Mask(Dictionary<string, AttributeValue> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        foreach (var path in paths)
        {
            if (item.TryGetValue(path.Top, out var value))
            {
                item[path.Top] = At(value, path.Steps, 1);
            }
        }
    }

    /// <summary>The stand-in of one value (the whole of it: every element of a set or list, every member of a map).</summary>
    public AttributeValue MaskValue(AttributeValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.S is not null) return new AttributeValue { S = MaskString(value.S) };
        if (value.N is not null) return new AttributeValue { N = MaskNumber(value.N) };
        if (value.B is not null) return new AttributeValue { B = new MemoryStream(MaskBytes(0x42, value.B.ToArray())) };
        if (value.SS is not null) return new AttributeValue { SS = value.SS.Select(MaskString).Distinct(StringComparer.Ordinal).ToList() };
        if (value.NS is not null) return new AttributeValue { NS = value.NS.Select(MaskNumber).DistinctBy(n => Items.CanonicalItem.Number(n)).ToList() };
        if (value.BS is not null)
        {
            return new AttributeValue
            {
                BS = value.BS.Select(b => MaskBytes(0x42, b.ToArray())).DistinctBy(Convert.ToBase64String).Select(b => new MemoryStream(b)).ToList(),
            };
        }

        if (value.L is not null) return new AttributeValue { L = value.L.Select(MaskValue).ToList() };
        if (value.M is not null) return new AttributeValue { M = value.M.ToDictionary(kv => kv.Key, kv => MaskValue(kv.Value), StringComparer.Ordinal) };
        return value; // BOOL, NULL
    }

    private AttributeValue At(AttributeValue value, IReadOnlyList<PathStep> steps, int at)
    {
        if (at == steps.Count)
        {
            return MaskValue(value);
        }

        var step = steps[at];
        if (value.L is { } list)
        {
            if (step.Name is null)
            {
                if (step.Index < list.Count)
                {
                    list[step.Index] = At(list[step.Index], steps, at + 1);
                }

                return value;
            }

            for (var i = 0; i < list.Count; i++)
            {
                list[i] = At(list[i], steps, at); // a name meets a list: each element's member
            }

            return value;
        }

        if (step.Name is { } name && value.M is { } map && map.TryGetValue(name, out var member))
        {
            map[name] = At(member, steps, at + 1);
        }

        return value;
    }

    private string MaskString(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        if (Email().IsMatch(text))
        {
            // The whole address as bytes, permuted: as long as it was, and another address never gives the same.
            return $"u_{Convert.ToHexStringLower(MaskBytes(0x45, Encoding.UTF8.GetBytes(text)))}@example.invalid";
        }

        // Each character is a digit of its class (decimal digit, upper or lower case ASCII letter, another character of the
        // basic plane, one of the other planes); other ASCII characters are kept and name the format with the classes.
        var digits = new List<int>(text.Length);
        var radices = new List<int>(text.Length);
        var format = new StringBuilder(text.Length + 1).Append('S');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var (digit, radix, kind) =
                char.IsAsciiDigit(c) ? (c - '0', 10, '9')
                : char.IsAsciiLetterUpper(c) ? (c - 'A', 26, 'A')
                : char.IsAsciiLetterLower(c) ? (c - 'a', 26, 'a')
                : c < 128 ? (-1, 0, c)
                : char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? (char.ConvertToUtf32(c, text[++i]) - 0x10000, Astral, 'U')
                : char.IsSurrogate(c) ? (-1, 0, c)
                : (c < 0xD800 ? c - 0x80 : c - 0x80 - 0x800, BasicPlane, 'u');
            format.Append(kind);
            if (radix > 0)
            {
                digits.Add(digit);
                radices.Add(radix);
            }
        }

        var masked = _permutation.Permute(digits.ToArray(), radices.ToArray(), Encoding.UTF8.GetBytes(format.ToString()));
        var output = new StringBuilder(text.Length);
        var next = 0;
        for (var i = 1; i < format.Length; i++)
        {
            var kind = format[i];
            if (kind is not ('9' or 'A' or 'a' or 'u' or 'U'))
            {
                // A kept character: never a letter or a digit, so it cannot be taken for a class.
                output.Append(kind);
                continue;
            }

            var digit = masked[next++];
            _ = kind switch
            {
                '9' => output.Append((char)('0' + digit)),
                'A' => output.Append((char)('A' + digit)),
                'a' => output.Append((char)('a' + digit)),
                'u' => output.Append((char)(digit + 0x80 < 0xD800 ? digit + 0x80 : digit + 0x80 + 0x800)),
                _ => output.Append(char.ConvertFromUtf32(digit + 0x10000)),
            };
        }

        return output.ToString();
    }
    /// <summary>
    /// A number of the same sign and magnitude class: its significant digits (first and last never 0) permuted, the
    /// exponent kept, written out in full. The number is read in its canonical form first, so 1.50 and 1.5 (one number
    /// to DynamoDB) mask alike, and different numbers never give the same stand-in.
    /// </summary>
    private string MaskNumber(string number)
    {
        var canonical = Items.CanonicalItem.Number(number);
        if (canonical == "0" || canonical.StartsWith('?'))
        {
            return number; // zero has one form; a value that is not a number is left to DynamoDB to refuse
        }

        var negative = canonical.StartsWith('-');
        var e = canonical.IndexOf('e', StringComparison.Ordinal);
        var significant = canonical[(negative ? 1 : 0)..e];
        var exponent = long.Parse(canonical.AsSpan(e + 1), System.Globalization.CultureInfo.InvariantCulture);
        var digits = new int[significant.Length];
        var radices = new int[significant.Length];
        for (var i = 0; i < significant.Length; i++)
        {
            // The first and the last significant digits are 1-9 (digit - 1 in radix 9): the stand-in stays canonical.
            var edge = i == 0 || i == significant.Length - 1;
            (digits[i], radices[i]) = edge ? (significant[i] - '1', 9) : (significant[i] - '0', 10);
        }

        var tweak = Encoding.UTF8.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"N{(negative ? '-' : '+')}{significant.Length}e{exponent}"));
        var masked = _permutation.Permute(digits, radices, tweak);
        var text = new StringBuilder(significant.Length);
        for (var i = 0; i < masked.Length; i++)
        {
            text.Append((char)((radices[i] == 9 ? '1' : '0') + masked[i]));
        }

        return Plain(negative, text.ToString(), exponent);
    }

    /// <summary>digits × 10^exponent written without an exponent (as DynamoDB gives numbers back).</summary>
    private static string Plain(bool negative, string digits, long exponent)
    {
        var sign = negative ? "-" : "";
        if (exponent >= 0)
        {
            return sign + digits + new string('0', (int)exponent);
        }

        var point = digits.Length + (int)exponent;
        return point > 0
            ? $"{sign}{digits[..point]}.{digits[point..]}"
            : $"{sign}0.{new string('0', -point)}{digits}";
    }

    /// <summary>The bytes permuted (each a digit of radix 256): as many as there were, and never the same for two inputs of one length.</summary>
    private byte[] MaskBytes(byte kind, byte[] value)
    {
        if (value.Length == 0)
        {
            return value;
        }

        var digits = value.Select(b => (int)b).ToArray();
        var masked = _permutation.Permute(digits, Enumerable.Repeat(256, digits.Length).ToArray(), [kind]);
        return masked.Select(d => (byte)d).ToArray();
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Email();
}
