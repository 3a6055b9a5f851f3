using System.Globalization;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Sources.MySql.Binlog;
using MySqlConnector;

namespace DdbCopy.Core.Sources.MySql;

/// <summary>
/// A table as its binary log rows need it: its columns in their order (names, signedness, ENUM and SET members,
/// character sets, from information_schema, since the rows carry none of them) and each column's kind, so a row image
/// becomes the same values and texts as the full load reads (<see cref="MySqlValues.Convert"/>).
/// </summary>
public sealed class BinlogTable
{
    private readonly MySqlValues.Kind[] _kinds;

    private BinlogTable(string database, string name, IReadOnlyList<BinlogColumn> columns, MySqlValues.Kind[] kinds)
    {
        (Database, Name, Columns, _kinds) = (database, name, columns, kinds);
    }

    public string Database { get; }

    public string Name { get; }

    /// <summary>How a column's values map (Integer, Text, ...): a key column whose kind changes cannot be followed.</summary>
    public string? KindOf(string column) => Columns.Select((c, i) => (c, i)).Where(x => x.c.Name == column).Select(x => _kinds[x.i].ToString()).FirstOrDefault();

    public IReadOnlyList<BinlogColumn> Columns { get; }

    /// <summary>A table described by hand (tests).</summary>
    internal static BinlogTable Create(string database, string name, IReadOnlyList<BinlogColumn> columns, IReadOnlyList<MySqlValues.Kind> kinds) =>
        new(database, name, columns, [.. kinds]);

    /// <param name="jsonColumns">Columns MariaDB keeps JSON in as text (see <see cref="MySqlTable.JsonColumns"/>).</param>
    /// <param name="numberColumns">Columns a --column type reads as what they hold (a TINYINT(1) as its number, not a boolean).</param>
    public static async Task<BinlogTable> LoadAsync(MySqlDatabase database, string table, IReadOnlySet<string> jsonColumns, IReadOnlySet<string> numberColumns,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(jsonColumns);
        ArgumentNullException.ThrowIfNull(numberColumns);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME, CHARACTER_OCTET_LENGTH FROM information_schema.COLUMNS "
            + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t ORDER BY ORDINAL_POSITION", connection);
        command.Parameters.AddWithValue("@t", table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new List<BinlogColumn>();
        var kinds = new List<MySqlValues.Kind>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var (name, dataType, columnType) = (reader.GetString(0), reader.GetString(1).ToLowerInvariant(), reader.GetString(2));
            var charset = reader.IsDBNull(3) ? null : reader.GetString(3);
            var kind = MySqlValues.KindOf(dataType, columnType, jsonColumns.Contains(name));
            kinds.Add(kind == MySqlValues.Kind.Bool && numberColumns.Contains(name) ? MySqlValues.Kind.Integer : kind);
            columns.Add(new BinlogColumn(name)
            {
                Unsigned = columnType.Contains("unsigned", StringComparison.OrdinalIgnoreCase),
                Members = dataType is "enum" or "set" ? Members(columnType) : [],
                Encoding = dataType is "json" ? System.Text.Encoding.UTF8 : BinlogColumn.EncodingOf(charset),
                PadTo = dataType == "binary" && !reader.IsDBNull(4) ? (int)Math.Min(255, reader.GetInt64(4)) : 0,
            });
        }

        return columns.Count == 0
            ? throw new Aws.DdbCopyException(Aws.FailureKind.Environment, $"The table '{table}' does not exist in {database.Location} (or the user cannot see it).")
            : new BinlogTable(database.Location.Database, table, columns, [.. kinds]);
    }

    /// <summary>A row image's values and texts by column (columns not in the image are left out); the first value that cannot be an attribute, in <c>Problem</c>.</summary>
    public (Dictionary<string, AttributeValue?> Values, Dictionary<string, string?> Texts, string? Problem) Convert(object?[] image, bool keepNulls)
    {
        ArgumentNullException.ThrowIfNull(image);
        var values = new Dictionary<string, AttributeValue?>(Columns.Count, StringComparer.Ordinal);
        var texts = new Dictionary<string, string?>(Columns.Count, StringComparer.Ordinal);
        string? problem = null;
        for (var i = 0; i < Columns.Count; i++)
        {
            var name = Columns[i].Name;
            try
            {
                (values[name], texts[name]) = MySqlValues.Convert(image[i], name, _kinds[i], keepNulls);
            }
            catch (Exception ex) when (ex is FormatException or InvalidCastException)
            {
                problem ??= $"column '{name}': {Items.RecordText.Detail(ex.Message)}";
                texts[name] = System.Convert.ToString(image[i], CultureInfo.InvariantCulture);
            }
        }

        return (values, texts, problem);
    }

    /// <summary>The members of <c>enum('a','b''c')</c> or <c>set(...)</c>: quoted, a doubled quote inside one.</summary>
    internal static List<string> Members(string columnType)
    {
        var members = new List<string>();
        var open = columnType.IndexOf('(', StringComparison.Ordinal);
        var i = open + 1;
        while (open >= 0 && i < columnType.Length && columnType[i] == '\'')
        {
            var member = new System.Text.StringBuilder();
            i++;
            while (i < columnType.Length)
            {
                if (columnType[i] == '\'' && i + 1 < columnType.Length && columnType[i + 1] == '\'')
                {
                    member.Append('\'');
                    i += 2;
                }
                else if (columnType[i] == '\'')
                {
                    i++;
                    break;
                }
                else
                {
                    member.Append(columnType[i++]);
                }
            }

            members.Add(member.ToString());
            if (i < columnType.Length && columnType[i] == ',')
            {
                i++;
            }
        }

        return members;
    }
}
