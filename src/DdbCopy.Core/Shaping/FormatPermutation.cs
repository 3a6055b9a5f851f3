using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace DdbCopy.Core.Shaping;

/// <summary>
/// A keyed permutation of the sequences of digits that have given radices (a digit may be a decimal digit, a letter,
/// a byte, a code point): a bijection, so two different inputs of one format never give the same output. It is a
/// Feistel network over the two halves of the mixed-radix number, 10 rounds, each adding a pseudo-random function of
/// the other half (HMAC-SHA-256 under a key derived from the mask key and the format) modulo its half's size: the
/// shape of FF1 (NIST SP 800-38G) with each position's own radix. Written by hand: no package available here offers
/// format-preserving encryption, and the masker needs a bijection (a keyed hash of a short value collides).
/// </summary>
internal sealed class FormatPermutation(byte[] key)
{
    private const int Rounds = 10;

    /// <summary>The digits' permutation for this format (<paramref name="tweak"/> names the format: another one gives an unrelated permutation).</summary>
    public int[] Permute(ReadOnlySpan<int> digits, ReadOnlySpan<int> radices, ReadOnlySpan<byte> tweak)
    {
        if (digits.Length != radices.Length)
        {
            throw new ArgumentException("One radix per digit.", nameof(radices));
        }

        var roundKey = HMACSHA256.HashData(key, tweak);
        var half = digits.Length / 2;
        var (a, sizeA) = ToNumber(digits[..half], radices[..half]);
        var (b, sizeB) = ToNumber(digits[half..], radices[half..]);
        for (var round = 0; round < Rounds; round++)
        {
            if (round % 2 == 0)
            {
                a = (a + Round(roundKey, round, b, sizeA)) % sizeA;
            }
            else
            {
                b = (b + Round(roundKey, round, a, sizeB)) % sizeB;
            }
        }

        var output = new int[digits.Length];
        FromNumber(a, radices[..half], output.AsSpan(0, half));
        FromNumber(b, radices[half..], output.AsSpan(half));
        return output;
    }

    /// <summary>A pseudo-random number below <paramref name="modulus"/> from the round and the other half (16 bytes more than the modulus needs, so the bias is negligible).</summary>
    private static BigInteger Round(byte[] roundKey, int round, BigInteger other, BigInteger modulus)
    {
        if (modulus.IsOne)
        {
            return BigInteger.Zero;
        }

        var input = other.ToByteArray(isUnsigned: true, isBigEndian: true);
        var message = new byte[input.Length + 8];
        BinaryPrimitives.WriteInt32BigEndian(message, round);
        input.CopyTo(message, 8);
        var length = modulus.GetByteCount(isUnsigned: true) + 16;
        var bytes = new byte[(length + 31) / 32 * 32];
        for (var block = 0; block * 32 < length; block++)
        {
            BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), block);
            HMACSHA256.HashData(roundKey, message, bytes.AsSpan(block * 32, 32));
        }

        return new BigInteger(bytes.AsSpan(0, length), isUnsigned: true, isBigEndian: true) % modulus;
    }

    private static (BigInteger Value, BigInteger Size) ToNumber(ReadOnlySpan<int> digits, ReadOnlySpan<int> radices)
    {
        BigInteger value = 0, size = 1;
        for (var i = 0; i < digits.Length; i++)
        {
            if ((uint)digits[i] >= (uint)radices[i])
            {
                throw new ArgumentOutOfRangeException(nameof(digits), "A digit is not below its radix.");
            }

            value = (value * radices[i]) + digits[i];
            size *= radices[i];
        }

        return (value, size);
    }

    private static void FromNumber(BigInteger value, ReadOnlySpan<int> radices, Span<int> digits)
    {
        for (var i = radices.Length - 1; i >= 0; i--)
        {
            digits[i] = (int)(value % radices[i]);
            value /= radices[i];
        }
    }
}
