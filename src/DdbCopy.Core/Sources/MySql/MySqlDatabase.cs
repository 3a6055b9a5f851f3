using System.Globalization;
using System.Text.RegularExpressions;
using DdbCopy.Core.Aws;
using MySqlConnector;

namespace DdbCopy.Core.Sources.MySql;

/// <summary>
/// One MySQL or MariaDB database: connections (UTC sessions, rows streamed as they come, never buffered), what a table
/// is made of, and the ranges of its primary key.
/// </summary>
public sealed partial class MySqlDatabase(MySqlLocation location, string? password)
{
    private static readonly HashSet<string> IntegerTypes = new(StringComparer.OrdinalIgnoreCase) { "tinyint", "smallint", "mediumint", "int", "bigint" };

    public MySqlLocation Location => location;

    /// <summary>Opens a connection whose session time zone is UTC.</summary>
    /// <exception cref="DdbCopyException">The server cannot be reached, or refuses the user or the database.</exception>
    public async Task<MySqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        MySqlConnectionStringBuilder builder;
        try
        {
            builder = new MySqlConnectionStringBuilder();
            foreach (var (name, value) in location.Options)
            {
                builder[name] = value; // sslMode, sslCa, ... as the driver names them
            }
        }
        catch (ArgumentException ex)
        {
            throw new DdbCopyException(FailureKind.Usage, $"{location}: an option of the URL is not one the MySQL driver knows ({ex.Message})", ex);
        }

        builder.Server = location.Host;
        builder.Port = (uint)location.Port;
        builder.UserID = location.User;
        builder.Password = password ?? "";
        builder.Database = location.Database;
        builder.AllowZeroDateTime = true;
        builder.ConvertZeroDateTime = false;
        builder.GuidFormat = MySqlGuidFormat.None;
        builder.TreatTinyAsBoolean = false; // a TINYINT(1) holding 2 is a number, never true: MySqlValues decides
        builder.DateTimeKind = MySqlDateTimeKind.Utc;
        builder.Pooling = true;
        var connection = new MySqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var utc = new MySqlCommand("SET time_zone = '+00:00'", connection);
            await utc.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch (MySqlException ex)
        {
            await connection.DisposeAsync();
            throw new DdbCopyException(FailureKind.Environment, $"Cannot connect to {location}: {ex.Message}", ex);
        }
    }

    /// <summary>How the binary log is read from this database's server: as its user, with TLS as the URL's sslMode and sslCa ask.</summary>
    public Binlog.BinlogConnectionOptions BinlogOptions()
    {
        var builder = new MySqlConnectionStringBuilder();
        foreach (var (name, value) in location.Options)
        {
            builder[name] = value;
        }

        return new Binlog.BinlogConnectionOptions(location.Host, location.Port, location.User, password ?? "")
        {
            Tls = builder.SslMode switch
            {
                MySqlSslMode.None => Binlog.BinlogTls.None,
                MySqlSslMode.Required => Binlog.BinlogTls.Required,
                MySqlSslMode.VerifyCA => Binlog.BinlogTls.VerifyCA,
                MySqlSslMode.VerifyFull => Binlog.BinlogTls.VerifyFull,
                _ => Binlog.BinlogTls.Preferred,
            },
            TlsCa = string.IsNullOrEmpty(builder.SslCa) ? null : builder.SslCa,
        };
    }

    /// <summary>The columns, primary key, JSON columns (MariaDB keeps JSON as text with a json_valid check) and row estimate of a table.</summary>
    /// <exception cref="DdbCopyException">The table does not exist.</exception>
    public async Task<MySqlTable> DescribeAsync(string table, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var columns = new List<(string Name, string Type)>();
        await using (var command = new MySqlCommand(
            "SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t ORDER BY ORDINAL_POSITION", connection))
        {
            command.Parameters.AddWithValue("@t", table);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        if (columns.Count == 0)
        {
            throw new DdbCopyException(FailureKind.Environment, $"The table '{table}' does not exist in {location} (or the user cannot see it).");
        }

        var key = await StringsAsync(connection,
            "SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION",
            table, cancellationToken);
        var json = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var clause in await StringsAsync(connection,
                         "SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = @t", table, cancellationToken))
            {
                if (JsonCheck().Match(clause) is { Success: true } match)
                {
                    json.Add(match.Groups[1].Value);
                }
            }
        }
        catch (MySqlException)
        {
            // MySQL before 8.0.16 has no CHECK_CONSTRAINTS; its JSON columns are typed JSON anyway.
        }

        var rows = await ScalarAsync(connection, "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t", table,
            cancellationToken);
        var integerKey = key.Count > 0 && IntegerTypes.Contains(columns.First(c => c.Name == key[0]).Type);
        return new MySqlTable(table, columns.Select(c => c.Name).ToList(), key, json, rows is null ? 0 : Convert.ToInt64(rows, CultureInfo.InvariantCulture), integerKey)
        {
            ColumnTypes = columns.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal),
        };
    }

    /// <summary>The smallest and largest value of an integer column (null for an empty table).</summary>
    public async Task<(decimal Low, decimal High)?> BoundsAsync(string table, string column, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new MySqlCommand($"SELECT MIN({Quote(column)}), MAX({Quote(column)}) FROM {Quote(table)}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.IsDBNull(0)
            ? null
            : (Convert.ToDecimal(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToDecimal(reader.GetValue(1), CultureInfo.InvariantCulture));
    }

    public static string Quote(string identifier) => $"`{identifier.Replace("`", "``", StringComparison.Ordinal)}`";

    private static async Task<List<string>> StringsAsync(MySqlConnection connection, string sql, string table, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection);
        command.Parameters.AddWithValue("@t", table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static async Task<object?> ScalarAsync(MySqlConnection connection, string sql, string table, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection);
        command.Parameters.AddWithValue("@t", table);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    [GeneratedRegex(@"json_valid\(`?([^`)]+)`?\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex JsonCheck();
}

/// <summary>What a MySQL table is made of.</summary>
/// <param name="IntegerKey">True when the first primary-key column is an integer: the table can be read in ranges of it.</param>
public sealed record MySqlTable(string Name, IReadOnlyList<string> Columns, IReadOnlyList<string> PrimaryKey, IReadOnlySet<string> JsonColumns, long RowEstimate,
    bool IntegerKey)
{
    /// <summary>Each column's data type as information_schema names it (int, varchar, ...).</summary>
    public IReadOnlyDictionary<string, string> ColumnTypes { get; init; } = new Dictionary<string, string>();

    /// <summary>The DynamoDB type a column's values become: N for numbers, B for binaries, else S.</summary>
    public string AttributeTypeOf(string column) => ColumnTypes.GetValueOrDefault(column, "").ToLowerInvariant() switch
    {
        "tinyint" or "smallint" or "mediumint" or "int" or "bigint" or "decimal" or "float" or "double" or "year" => "N",
        "binary" or "varbinary" or "tinyblob" or "blob" or "mediumblob" or "longblob" => "B",
        _ => "S",
    };
}
