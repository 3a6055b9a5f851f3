using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Sources.MySql;
using DdbCopy.Core.Sources.MySql.Binlog;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;
using MySqlConnector;

namespace DdbCopy.IntegrationTests.MySql;

/// <summary>
/// The binary log reader against a real MariaDB writing its binary log in row format: what it reads back of inserts,
/// updates and deletes, applied in order, is the table as a query reads it, value for value through the full load's own
/// conversion; and the server's refusals (no replication privilege, a purged file) arrive as errors with the server's code.
/// </summary>
public sealed class BinlogClientTests(MariaDbBinlogFixture mysql) : IClassFixture<MariaDbBinlogFixture>
{
    internal const string Columns = """
        id INT PRIMARY KEY, tiny TINYINT, utiny TINYINT UNSIGNED, small SMALLINT, medium MEDIUMINT, umedium MEDIUMINT UNSIGNED, big BIGINT,
        ubig BIGINT UNSIGNED, amount DECIMAL(38,10), cents DECIMAL(5,2), whole DECIMAL(10,0), ratio DOUBLE, small_float FLOAT,
        name VARCHAR(300), code CHAR(10), note TEXT, size ENUM('s','m','it''s'), photo LONGBLOB, bin BINARY(4), varbin VARBINARY(10),
        created DATETIME(6), plain DATETIME, seen TIMESTAMP(3) NULL, born DATE, lasted TIME(3), clock TIME, since YEAR, doc JSON,
        colours SET('red','green','blue'), active BOOLEAN, flag BIT(1), bits BIT(10), missing VARCHAR(5)
        """;

    internal const string Row1 = """
        (1, -128, 255, -32768, -8388608, 16777215, -9223372036854775808, 18446744073709551615, 9999999999999999999999999999.9999999999, -123.45, 42,
         0.1, 1.5, REPEAT('é', 300), 'char', 'a text', 'it''s', X'00FF10', X'DEAD', X'0001', '2024-02-29 23:59:58.123456', '2024-03-01 01:02:03',
         '2024-01-01 00:00:00.500', '1999-12-31', '-838:59:59.000', '12:34:56', 2024, '{"a":[1,2.5,{"b":null}],"c":"x\\ny","d":true}', 'red,blue',
         TRUE, b'1', b'1010101010', NULL)
        """;

    internal const string Row2 = """
        (2, 0, 0, 0, 0, 0, 0, 0, -0.0000000001, 0.5, -7, -1e100, 0, 'héllo 😀', '', '', 's', '', X'00000000', X'', '1970-01-01 00:00:00', '1000-01-01 00:00:00',
         NULL, '2000-01-01', '00:00:01.5', '-00:00:01', 1901, '[]', '', FALSE, b'0', b'0', 'x')
        """;

    [Fact]
    public async Task RowsReadFromTheBinaryLog_AppliedInOrder_AreTheTableValueForValue()
    {
        var database = await mysql.Server.CreateDatabaseAsync("binlog");
        await mysql.Server.ExecuteAsync(database, $"CREATE TABLE everything ({Columns})");
        var start = await PositionAsync();
        await mysql.Server.ExecuteAsync(database, $$"""
            INSERT INTO everything VALUES {{Row1}}, {{Row2}};
            INSERT INTO everything (id, name) VALUES (3, 'three'), (4, 'four');
            UPDATE everything SET name = 'changed', amount = 1.5, doc = '{"k": [true, false]}' WHERE id = 3;
            UPDATE everything SET id = 5 WHERE id = 4;
            DELETE FROM everything WHERE id = 1;
            INSERT INTO everything (id, name) VALUES (1, 'again');
            START TRANSACTION; INSERT INTO everything (id) VALUES (99); ROLLBACK;
            """);

        var table = await BinlogTable.LoadAsync(Database(database), "everything", new HashSet<string> { "doc" }, new HashSet<string>(), CancellationToken.None);
        var rows = new Dictionary<string, Dictionary<string, AttributeValue?>>();
        var (commits, ignoredTables) = (0, 0);
        await foreach (var e in Client().ReadAsync(start, toEnd: true, CancellationToken.None))
        {
            switch (e)
            {
                case RowsEvent changed when changed.Table.Database == database && changed.Table.Table == "everything":
                    foreach (var images in RowDecoder.Decode(changed, table.Columns))
                    {
                        if (images.Before is { } before)
                        {
                            rows.Remove(Key(before));
                        }

                        if (images.After is { } after)
                        {
                            var (values, _, problem) = table.Convert(after, keepNulls: true);
                            Assert.Null(problem);
                            rows[Key(after)] = values;
                        }
                    }

                    break;
                case RowsEvent:
                    ignoredTables++;
                    break;
                case CommitEvent:
                    commits++;
                    break;
            }
        }

        var expected = await ReadTableAsync(database);
        Assert.Equal(expected.Keys.Order(), rows.Keys.Order());
        foreach (var (id, values) in expected)
        {
            foreach (var (column, value) in values)
            {
                Assert.True(Same(value, rows[id][column]), $"row {id}, column {column}: expected {Show(value)}, read {Show(rows[id][column])}");
            }
        }

        Assert.Equal(6, commits); // six statements; the rolled-back transaction writes nothing
        Assert.Equal(0, ignoredTables);
    }

    [Fact]
    public async Task AUserWithoutReplicationPrivileges_IsRefusedByTheServer()
    {
        await mysql.Server.ExecuteAsync(null, """
            CREATE USER IF NOT EXISTS 'reader'@'localhost' IDENTIFIED BY 'secret'; CREATE USER IF NOT EXISTS 'reader'@'%' IDENTIFIED BY 'secret';
            GRANT SELECT ON *.* TO 'reader'@'localhost'; GRANT SELECT ON *.* TO 'reader'@'%';
            CREATE USER IF NOT EXISTS 'replica'@'localhost' IDENTIFIED BY 'pw'; CREATE USER IF NOT EXISTS 'replica'@'%' IDENTIFIED BY 'pw';
            GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'replica'@'localhost'; GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'replica'@'%';
            """);
        var start = await PositionAsync();
        var reader = new BinlogClient(new BinlogConnectionOptions(mysql.Server.Host, mysql.Server.Port, "reader", "secret"), 4242);
        var refused = await Assert.ThrowsAsync<BinlogServerException>(async () => await reader.ReadAsync(start, toEnd: true, CancellationToken.None).CountAsync());
        Assert.Equal(1227, refused.Code);

        var wrong = new BinlogClient(new BinlogConnectionOptions(mysql.Server.Host, mysql.Server.Port, "replica", "not it"), 4242);
        Assert.Equal(1045, (await Assert.ThrowsAsync<BinlogServerException>(async () => await wrong.ReadAsync(start, toEnd: true, CancellationToken.None).CountAsync())).Code);

        var replica = new BinlogClient(new BinlogConnectionOptions(mysql.Server.Host, mysql.Server.Port, "replica", "pw"), 4242);
        Assert.NotEmpty(await replica.ReadAsync(start, toEnd: true, CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task AFileTheServerNoLongerHas_IsRefusedWithItsCode()
    {
        var gone = new BinlogPosition("binlog.999999", 4);
        var refused = await Assert.ThrowsAsync<BinlogServerException>(async () => await Client().ReadAsync(gone, toEnd: true, CancellationToken.None).CountAsync());
        Assert.Equal(1236, refused.Code);
    }

    [Fact]
    public async Task OverTls_AsTheUrlAsks_TheLogIsRead_AndACertificateFromAnotherCaIsRefused()
    {
        if (Environment.GetEnvironmentVariable(MariaDbServer.ServerVariable) is { Length: > 0 })
        {
            return; // an external server's TLS set-up is its own; the handshake is tested against the one started here
        }

        await using var server = await MariaDbServer.StartAsync(binaryLog: true, tls: true);
        await server.ExecuteAsync(null, "CREATE DATABASE IF NOT EXISTS tls; CREATE TABLE tls.t (id INT PRIMARY KEY); INSERT INTO tls.t VALUES (1), (2)");
        var start = new BinlogPosition("binlog.000001", 4);
        BinlogClient Over(BinlogTls tls, string? ca) =>
            new(new BinlogConnectionOptions(server.Host, server.Port, server.User, server.Password) { Tls = tls, TlsCa = ca }, 4242);

        var required = await Over(BinlogTls.Required, null).ReadAsync(start, toEnd: true, CancellationToken.None).ToListAsync();
        var verified = await Over(BinlogTls.VerifyFull, server.TlsCertificate).ReadAsync(start, toEnd: true, CancellationToken.None).ToListAsync();
        var otherCa = Path.GetTempFileName();
        await using (var other = await MariaDbServer.StartAsync(tls: true))
        {
            File.Copy(other.TlsCertificate!, otherCa, overwrite: true);
        }

        Assert.Contains(required, e => e is RowsEvent { Table.Table: "t" });
        Assert.Contains(verified, e => e is RowsEvent { Table.Table: "t" });
        await Assert.ThrowsAnyAsync<System.Security.Authentication.AuthenticationException>(async () =>
            await Over(BinlogTls.VerifyCA, otherCa).ReadAsync(start, toEnd: true, CancellationToken.None).CountAsync());
        File.Delete(otherCa);
    }

    private BinlogClient Client() => new(new BinlogConnectionOptions(mysql.Server.Host, mysql.Server.Port, mysql.Server.User, mysql.Server.Password), 4242);

    private MySqlDatabase Database(string name) =>
        new(new MySqlLocation(mysql.Server.User, mysql.Server.Host, mysql.Server.Port, name, new Dictionary<string, string>()), mysql.Server.Password);

    private async Task<BinlogPosition> PositionAsync()
    {
        await using var connection = await mysql.Server.OpenAsync(null);
        await using var command = new MySqlCommand("SHOW MASTER STATUS", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the server writes no binary log");
        return new BinlogPosition(reader.GetString(0), Convert.ToUInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The table as the full load reads it: through the import's own connection settings and value conversion.</summary>
    private async Task<Dictionary<string, Dictionary<string, AttributeValue?>>> ReadTableAsync(string database)
    {
        await using var connection = await Database(database).OpenAsync(CancellationToken.None);
        await using var command = new MySqlCommand("SELECT * FROM everything", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var columns = reader.GetColumnSchema().Cast<MySqlDbColumn>().Select(c => (c.ColumnName, MySqlValues.KindOf(c.ProviderType, c.ColumnSize, c.ColumnName == "doc"))).ToList();
        var rows = new Dictionary<string, Dictionary<string, AttributeValue?>>();
        while (await reader.ReadAsync())
        {
            var values = new Dictionary<string, AttributeValue?>();
            for (var i = 0; i < columns.Count; i++)
            {
                values[columns[i].ColumnName] = MySqlValues.Read(reader, i, columns[i].Item2, keepNulls: true).Value;
            }

            rows[values["id"]!.N] = values;
        }

        return rows;
    }

    private static string Key(object?[] image) => Convert.ToString(image[0], System.Globalization.CultureInfo.InvariantCulture)!;

    private static bool Same(AttributeValue? a, AttributeValue? b) => Show(a) == Show(b);

    private static string Show(AttributeValue? value) => value is null ? "(none)" : Core.Formats.DynamoDbJson.ToJsonLine(new Dictionary<string, AttributeValue> { ["v"] = value });
}
