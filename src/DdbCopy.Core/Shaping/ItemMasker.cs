using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2.Model;

namespace DdbCopy.Core.Shaping;

/// <summary>
/// Replaces the values at some paths with keyed, deterministic stand-ins: the same value and key always give the same
/// stand-in (so joins and uniqueness survive), and without the key a value cannot be found by hashing guesses
/// (HMAC-SHA-256). Formats are kept: an e-mail address becomes <c>u_&lt;16 hex&gt;@example.invalid</c>, digits become
/// digits (a number stays a number of as many digits, its sign and point kept), letters become letters of the same case,
/// other ASCII characters stay; binaries keep their length. Sets and lists are masked element by element, a map's
/// members all; booleans and nulls stay. A path step that meets a list applies to each of its elements.
/// </summary>
public sealed partial class ItemMasker(byte[] key, IReadOnlyList<AttributePath> paths)
{
    private readonly byte[] _key = key.ToArray();

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
        if (value.B is not null) return new AttributeValue { B = new MemoryStream(Stream(0x42, value.B.ToArray(), (int)value.B.Length)) };
        if (value.SS is not null) return new AttributeValue { SS = value.SS.Select(MaskString).Distinct(StringComparer.Ordinal).ToList() };
        if (value.NS is not null) return new AttributeValue { NS = value.NS.Select(MaskNumber).DistinctBy(n => Verifying.CanonicalItem.Number(n)).ToList() };
        if (value.BS is not null)
        {
            return new AttributeValue
            {
                BS = value.BS.Select(b => Stream(0x42, b.ToArray(), (int)b.Length)).DistinctBy(Convert.ToBase64String).Select(b => new MemoryStream(b)).ToList(),
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
            return $"u_{Convert.ToHexStringLower(Stream(0x45, Encoding.UTF8.GetBytes(text), 8))}@example.invalid";
        }

        var random = Stream(0x53, Encoding.UTF8.GetBytes(text), text.Length);
        var masked = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++; // one character in two UTF-16 units: one letter
            }

            masked.Append(
                char.IsAsciiDigit(c) ? (char)('0' + random[i] % 10)
                : char.IsAsciiLetterUpper(c) ? (char)('A' + random[i] % 26)
                : c < 128 && !char.IsAsciiLetterLower(c) ? c
                : (char)('a' + random[i] % 26));
        }

        return masked.ToString();
    }

    private string MaskNumber(string number)
    {
        var random = Stream(0x4E, Encoding.UTF8.GetBytes(Verifying.CanonicalItem.Number(number)), number.Length);
        var exponent = number.IndexOfAny(['e', 'E']);
        var mantissa = exponent < 0 ? number : number[..exponent];
        var integerDigits = mantissa.TakeWhile(c => c != '.').Count(char.IsAsciiDigit);
        var masked = new StringBuilder(number.Length);
        var digit = 0;
        for (var i = 0; i < number.Length; i++)
        {
            var c = number[i];
            if (char.IsAsciiDigit(c) && (exponent < 0 || i < exponent))
            {
                // The first of several integer digits is never 0: the number keeps its number of digits.
                masked.Append(digit == 0 && integerDigits > 1 ? (char)('1' + random[i] % 9) : (char)('0' + random[i] % 10));
                digit++;
            }
            else
            {
                masked.Append(c);
            }
        }

        return masked.ToString();
    }

    /// <summary><paramref name="length"/> bytes that depend on the key, the kind of value and the value only.</summary>
    private byte[] Stream(byte kind, byte[] value, int length)
    {
        var input = new byte[value.Length + 1];
        input[0] = kind;
        value.CopyTo(input, 1);
        var seed = HMACSHA256.HashData(_key, input);
        var output = new byte[length];
        Span<byte> counter = stackalloc byte[4];
        for (var block = 0; block * 32 < length; block++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(counter, block);
            var bytes = HMACSHA256.HashData(seed, counter);
            bytes.AsSpan(0, Math.Min(32, length - block * 32)).CopyTo(output.AsSpan(block * 32));
        }

        return output;
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Email();
}
