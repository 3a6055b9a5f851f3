using System.Buffers.Binary;
using System.Text;

namespace DdbCopy.Core.Sources.MySql.Binlog;

/// <summary>
/// Reads the little-endian integers, length-encoded integers and strings of the MySQL protocol from a buffer. Reading
/// past the end throws <see cref="BinlogFormatException"/> (a malformed packet or event), never an index error.
/// </summary>
internal ref struct ByteReader(ReadOnlySpan<byte> buffer)
{
    private readonly ReadOnlySpan<byte> _buffer = buffer;

    public int Position { get; set; }

    public readonly int Remaining => _buffer.Length - Position;

    public readonly ReadOnlySpan<byte> Rest => _buffer[Position..];

    public ReadOnlySpan<byte> Bytes(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new BinlogFormatException($"{count} bytes wanted at offset {Position} of a {_buffer.Length}-byte buffer");
        }

        var bytes = _buffer.Slice(Position, count);
        Position += count;
        return bytes;
    }

    public void Skip(int count) => Bytes(count);

    public byte U8() => Bytes(1)[0];

    public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2));

    public uint U24()
    {
        var b = Bytes(3);
        return (uint)(b[0] | (b[1] << 8) | (b[2] << 16));
    }

    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

    public ulong U48()
    {
        var b = Bytes(6);
        return BinaryPrimitives.ReadUInt32LittleEndian(b) | ((ulong)BinaryPrimitives.ReadUInt16LittleEndian(b[4..]) << 32);
    }

    public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8));

    /// <summary>An unsigned integer of 1 to 8 bytes, little-endian.</summary>
    public ulong UInt(int bytes)
    {
        var b = Bytes(bytes);
        ulong value = 0;
        for (var i = bytes - 1; i >= 0; i--)
        {
            value = (value << 8) | b[i];
        }

        return value;
    }

    /// <summary>An unsigned integer of 1 to 8 bytes, big-endian (the binary log's temporal and BIT values).</summary>
    public ulong UIntBigEndian(int bytes)
    {
        var b = Bytes(bytes);
        ulong value = 0;
        foreach (var x in b)
        {
            value = (value << 8) | x;
        }

        return value;
    }

    /// <summary>A length-encoded integer (1, 3, 4 or 9 bytes).</summary>
    public ulong LengthEncoded()
    {
        var first = U8();
        return first switch
        {
            < 0xfb => first,
            0xfc => U16(),
            0xfd => U24(),
            0xfe => U64(),
            _ => throw new BinlogFormatException($"0x{first:x2} is not a length-encoded integer (offset {Position - 1})"),
        };
    }

    /// <summary>A count given length-encoded, checked to fit what is left.</summary>
    public int Count()
    {
        var value = LengthEncoded();
        return value <= (ulong)Remaining ? (int)value : throw new BinlogFormatException($"a length of {value} at offset {Position} exceeds the {Remaining} bytes left");
    }

    public string NulTerminated()
    {
        var end = Rest.IndexOf((byte)0);
        if (end < 0)
        {
            throw new BinlogFormatException($"a string at offset {Position} has no terminating NUL");
        }

        var text = Encoding.UTF8.GetString(Bytes(end));
        Position++;
        return text;
    }

    public string Text(int count) => Encoding.UTF8.GetString(Bytes(count));
}

/// <summary>A packet or binary log event that does not parse as its type says it should.</summary>
public sealed class BinlogFormatException(string message) : Exception(message);
