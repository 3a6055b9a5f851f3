using System.Globalization;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Formats;
using MySqlConnector;

namespace DdbCopy.Core.Sources.MySql;

/// <summary>
/// How a column's values become attribute values, from its type in the result's metadata: integers and DECIMAL → N
/// exactly (no float rounding), FLOAT/DOUBLE → N (shortest round-trip text), CHAR/VARCHAR/TEXT/ENUM → S, BLOB/BINARY → B,
/// DATE → S (yyyy-MM-dd), DATETIME/TIMESTAMP → S (ISO-8601 UTC: the session's time zone is UTC, DATETIME is taken as
/// UTC), TIME → S, YEAR → N, JSON → M/L/..., SET → SS, BIT(1)/BOOLEAN → BOOL. Each value also has a text form, for
/// --attribute templates and --column types.
/// </summary>
internal static class MySqlValues
{
    public enum Kind
    {
        Integer,
        Decimal,
        Float,
        Text,
        Binary,
        Date,
        DateTime,
        Time,
        Json,
        Set,
        Bool,
    }

    public static Kind KindOf(MySqlDbType type, long? size, bool json) => type switch
    {
        MySqlDbType.Bool => Kind.Bool,
        MySqlDbType.Byte or MySqlDbType.UByte when size == 1 => Kind.Bool, // TINYINT(1), which BOOLEAN is: 0 and 1 only (see Read)
        MySqlDbType.Bit => size == 1 ? Kind.Bool : Kind.Integer,
        MySqlDbType.Byte or MySqlDbType.UByte or MySqlDbType.Int16 or MySqlDbType.UInt16 or MySqlDbType.Int24 or MySqlDbType.UInt24
            or MySqlDbType.Int32 or MySqlDbType.UInt32 or MySqlDbType.Int64 or MySqlDbType.UInt64 or MySqlDbType.Year => Kind.Integer,
        MySqlDbType.Decimal or MySqlDbType.NewDecimal => Kind.Decimal,
        MySqlDbType.Float or MySqlDbType.Double => Kind.Float,
        MySqlDbType.TinyBlob or MySqlDbType.Blob or MySqlDbType.MediumBlob or MySqlDbType.LongBlob or MySqlDbType.Binary or MySqlDbType.VarBinary
            or MySqlDbType.Geometry => Kind.Binary,
        MySqlDbType.Date or MySqlDbType.Newdate => Kind.Date,
        MySqlDbType.DateTime or MySqlDbType.Timestamp => Kind.DateTime,
        MySqlDbType.Time => Kind.Time,
        MySqlDbType.JSON => Kind.Json,
        MySqlDbType.Set => Kind.Set,
        _ => json ? Kind.Json : Kind.Text,
    };

    /// <summary>
    /// The kind of a column from information_schema's DATA_TYPE and COLUMN_TYPE, the same as <see cref="KindOf(MySqlDbType, long?, bool)"/>
    /// gives from a result's metadata: for the binary log, whose rows carry no column names or display widths.
    /// </summary>
    public static Kind KindOf(string dataType, string columnType, bool json)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        ArgumentNullException.ThrowIfNull(columnType);
        var type = columnType.ToLowerInvariant();
        return dataType.ToLowerInvariant() switch
        {
            "tinyint" when type.StartsWith("tinyint(1)", StringComparison.Ordinal) => Kind.Bool,
            "bit" when type == "bit(1)" => Kind.Bool,
            "tinyint" or "smallint" or "mediumint" or "int" or "bigint" or "year" or "bit" => Kind.Integer,
            "decimal" => Kind.Decimal,
            "float" or "double" => Kind.Float,
            "tinyblob" or "blob" or "mediumblob" or "longblob" or "binary" or "varbinary" or "geometry" or "point" or "linestring" or "polygon"
                or "multipoint" or "multilinestring" or "multipolygon" or "geometrycollection" or "geomcollection" => Kind.Binary,
            "date" => Kind.Date,
            "datetime" or "timestamp" => Kind.DateTime,
            "time" => Kind.Time,
            "json" => Kind.Json,
            "set" => Kind.Set,
            _ => json ? Kind.Json : Kind.Text,
        };
    }

    /// <summary>The value of column <paramref name="i"/> of the current row, and its text; both null for NULL (or a NULL attribute with <paramref name="keepNulls"/>).</summary>
    /// <exception cref="FormatException">The value cannot be an attribute value (a zero date, JSON that is not valid); the message says why.</exception>
    public static (AttributeValue? Value, string? Text) Read(MySqlDataReader reader, int i, Kind kind, bool keepNulls)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (reader.IsDBNull(i))
        {
            return Convert(null, reader.GetName(i), kind, keepNulls);
        }

        return Convert(kind == Kind.Decimal ? reader.GetMySqlDecimal(i).ToString() : reader.GetValue(i), reader.GetName(i), kind, keepNulls);
    }

    /// <summary>
    /// A column's value as the driver gives it (or as the binary log's decoder gives it, in the same CLR types: integers,
    /// float, double, DECIMAL as its exact text, string, byte[], DateTime or MySqlDateTime, TimeSpan, a SET as its members
    /// joined by commas), and its text. One code path for the full load and the changes read from the binary log.
    /// </summary>
    /// <param name="raw">The value; null or DBNull for NULL.</param>
    /// <exception cref="FormatException">The value cannot be an attribute value (a zero date, JSON that is not valid); the message says why.</exception>
    public static (AttributeValue? Value, string? Text) Convert(object? raw, string column, Kind kind, bool keepNulls)
    {
        if (raw is null or DBNull)
        {
            return (keepNulls ? new AttributeValue { NULL = true } : null, null);
        }

        switch (kind)
        {
            case Kind.Bool:
                var flag = raw switch
                {
                    bool b => b,
                    ulong bits => bits != 0,
                    var other => System.Convert.ToInt64(other, CultureInfo.InvariantCulture) switch
                    {
                        0 => false,
                        1 => true,
                        var held => throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                            $"it is TINYINT(1) (BOOLEAN), read as true or false, but holds {held}: give --column {column}:N to read it as a number")),
                    },
                };
                return (new AttributeValue { BOOL = flag }, flag ? "true" : "false");
            case Kind.Integer or Kind.Float:
                var number = raw is IFormattable f
                    ? f.ToString(kind == Kind.Float ? "R" : null, CultureInfo.InvariantCulture)
                    : System.Convert.ToString(raw, CultureInfo.InvariantCulture)!;
                return (new AttributeValue { N = number }, number);
            case Kind.Decimal:
                var exact = raw is MySqlDecimal d ? d.ToString() : System.Convert.ToString(raw, CultureInfo.InvariantCulture)!;
                return (new AttributeValue { N = exact }, exact);
            case Kind.Binary:
                var bytes = (byte[])raw;
                return (new AttributeValue { B = new MemoryStream(bytes) }, System.Convert.ToBase64String(bytes));
            case Kind.Date or Kind.DateTime:
                var time = raw switch
                {
                    DateTime t => t,
                    MySqlDateTime { IsValidDateTime: true } m => m.GetDateTime(),
                    _ => throw new FormatException("a zero date (0000-00-00) is not a date"),
                };
                var iso = kind == Kind.Date
                    ? time.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture)
                    : time.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFF'Z'", CultureInfo.InvariantCulture);
                return (new AttributeValue { S = iso }, iso);
            case Kind.Time:
                var span = (TimeSpan)raw;
                var clock = string.Create(CultureInfo.InvariantCulture,
                    $"{(span < TimeSpan.Zero ? "-" : "")}{(long)Math.Abs(span.TotalHours):00}:{Math.Abs(span.Minutes):00}:{Math.Abs(span.Seconds):00}")
                    + (span.Ticks % TimeSpan.TicksPerSecond == 0 ? "" : "." + (Math.Abs(span.Ticks) % TimeSpan.TicksPerSecond).ToString("0000000", CultureInfo.InvariantCulture).TrimEnd('0'));
                return (new AttributeValue { S = clock }, clock);
            case Kind.Json:
                var json = raw as string ?? System.Text.Encoding.UTF8.GetString((byte[])raw);
                return (JsonAttributeValues.Parse(json), json);
            case Kind.Set:
                var members = (string)raw;
                var set = members.Split(',', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
                return (set.Count == 0 ? null : new AttributeValue { SS = set }, members);
            default:
                var text = raw as string ?? System.Convert.ToString(raw, CultureInfo.InvariantCulture)!;
                return (new AttributeValue { S = text }, text);
        }
    }
}
