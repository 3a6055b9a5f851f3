using System.Text;

namespace DdbCopy.Core.Sources.MySql.Binlog;

/// <summary>
/// What the binary log does not say of a column and its values need (from information_schema): its name, whether an
/// integer is unsigned, the members of an ENUM or SET, the character set of its text (null for bytes), the length a
/// BINARY(n) is padded to, and whether MariaDB keeps JSON in it as text.
/// </summary>
public sealed record BinlogColumn(string Name)
{
    public bool Unsigned { get; init; }

    /// <summary>An ENUM's or SET's members, in their order (ENUM index 1 is the first).</summary>
    public IReadOnlyList<string> Members { get; init; } = [];

    /// <summary>How its text is encoded; null when its values are bytes (BINARY, VARBINARY, BLOB, GEOMETRY).</summary>
    public Encoding? Encoding { get; init; } = Encoding.UTF8;

    /// <summary>BINARY(n): n (the binary log leaves out the trailing zero bytes the driver gives back).</summary>
    public int PadTo { get; init; }

    /// <summary>The encoding of a MySQL character set name (utf8mb4, latin1, ...); null for binary.</summary>
    public static Encoding? EncodingOf(string? charset) => charset?.ToLowerInvariant() switch
    {
        null => null,
        "binary" => null,
        "latin1" => Encoding.Latin1,
        "ucs2" or "utf16" => Encoding.BigEndianUnicode,
        "utf16le" => Encoding.Unicode,
        "utf32" => new UTF32Encoding(bigEndian: true, byteOrderMark: false),
        _ => Encoding.UTF8,
    };
}
