using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;
using DdbCopy.TestSupport.Faults;
using Xunit.Abstractions;

namespace DdbCopy.IntegrationTests.MySql;

/// <summary>
/// `import --follow --binlog` through the real CLI, from a MariaDB server writing its binary log in row format into
/// DynamoDB Local, for a table with no change column: inserts, updates, hard deletes, a 500-row transaction, a rolled-back
/// one, a key change and an ADD COLUMN during and after the load end as exactly the table's rows, read by the test itself;
/// kill -9 while following and --resume end exact again; what cannot be followed is refused with the fix named.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class BinlogFollowTests(DynamoDbFixture db, MariaDbBinlogFixture mysql, ITestOutputHelper output) : IClassFixture<MariaDbBinlogFixture>, IAsyncLifetime
{
    private const int Rows = 20_000;
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-binlog-").FullName;

    [Fact]
    public async Task ChangesDuringAndAfterTheLoad_EndAsExactlyTheTablesRows()
    {
        var (database, destination, checkpoint) = await SetUpAsync("during");
        var result = await DdbCopyCli.RunAsync(mysql.Environment, TimeSpan.FromMinutes(5), Args(database, destination, checkpoint), async process =>
        {
            await WaitForTransactionsAsync(checkpoint, 0, binlogPart: true); // the position is taken: the load starts
            await mysql.Server.ExecuteAsync(database, $"""
                UPDATE accounts SET name = CONCAT('during-', id) WHERE id <= 100;
                INSERT INTO accounts (id, name, amount) SELECT seq, CONCAT('new-', seq), seq / 100 FROM {MariaDbServer.Sequence(20001, 20050)};
                DELETE FROM accounts WHERE id BETWEEN 101 AND 110;
                """);
            await WaitForTransactionsAsync(checkpoint, 3);

            await mysql.Server.ExecuteAsync(database, $"""
                UPDATE accounts SET name = CONCAT('after-', id), note = 'n' WHERE id BETWEEN 111 AND 150;
                DELETE FROM accounts WHERE id BETWEEN 151 AND 160;
                START TRANSACTION;
                INSERT INTO accounts (id, name, amount) SELECT seq, 'batch', 1.25 FROM {MariaDbServer.Sequence(30001, 30500)};
                UPDATE accounts SET amount = -7.5 WHERE id BETWEEN 161 AND 170;
                COMMIT;
                START TRANSACTION;
                INSERT INTO accounts (id, name) SELECT seq, 'rolled back' FROM {MariaDbServer.Sequence(40001, 40010)};
                UPDATE accounts SET name = 'rolled back' WHERE id = 1;
                ROLLBACK;
                UPDATE accounts SET id = 50000 WHERE id = 200;
                FLUSH BINARY LOGS;
                ALTER TABLE accounts ADD COLUMN extra VARCHAR(20) NULL;
                INSERT INTO accounts (id, name, extra) VALUES (60001, 'with extra', 'x1'), (60002, 'with extra', 'x2');
                UPDATE accounts SET extra = 'set later' WHERE id = 300;
                DELETE FROM accounts WHERE id = 20001;
                """);
            await WaitUntilEqualAsync(database, destination);
            using var stop = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]);
            await stop.WaitForExitAsync();
        });

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = DdbCopyCli.Summary(result);
        Assert.True(summary.GetProperty("transactions").GetInt64() >= 10, result.ToString());
        Assert.StartsWith("binlog.", summary.GetProperty("binlogPosition").GetString(), StringComparison.Ordinal);
        Assert.Equal(await ExpectedAsync(database), await ActualAsync(destination));
    }

    [Fact]
    public async Task KilledWhileFollowing_ThenResumed_EndsExact()
    {
        var (database, destination, checkpoint) = await SetUpAsync("killed");
        var changes = 0;
        var first = await DdbCopyCli.RunAsync(mysql.Environment, TimeSpan.FromMinutes(5), Args(database, destination, checkpoint), async process =>
        {
            await WaitForTransactionsAsync(checkpoint, 0, binlogPart: true);
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromMinutes(3))
            {
                changes++;
                await mysql.Server.ExecuteAsync(database, string.Create(CultureInfo.InvariantCulture,
                    $"UPDATE accounts SET name = 'v{changes}' WHERE id = {changes % 500 + 1}; DELETE FROM accounts WHERE id = {1000 + changes}; INSERT INTO accounts (id, name) VALUES ({70000 + changes}, 'k');"));
                if (await TransactionsAsync(checkpoint) >= 100)
                {
                    process.Kill(); // SIGKILL while following: nothing is drained or saved
                    break;
                }

                await Task.Delay(20); // about 100 changes a second, during the load and then while following
            }
        });
        Assert.True(await TransactionsAsync(checkpoint) >= 100, "killed before following began");
        Assert.NotEqual(0, first.ExitCode);
        for (var i = 0; i < 100; i++)
        {
            changes++;
            await mysql.Server.ExecuteAsync(database, string.Create(CultureInfo.InvariantCulture,
                $"UPDATE accounts SET name = 'w{changes}' WHERE id = {changes % 500 + 1}; DELETE FROM accounts WHERE id = {1000 + changes};"));
        }

        // The last event a DDL statement of another table (it commits itself): caught up after it, not waiting for a commit.
        await mysql.Server.ExecuteAsync(database, "CREATE TABLE side (id INT PRIMARY KEY)");
        var resumed = await DdbCopyCli.RunAsync(mysql.Environment, TimeSpan.FromMinutes(5), [.. Args(database, destination, checkpoint), "--resume", "--stopWhenCaughtUp"]);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.True(DdbCopyCli.Summary(resumed).GetProperty("caughtUp").GetBoolean(), resumed.ToString());
        Assert.Equal(await ExpectedAsync(database), await ActualAsync(destination));
    }

    [Fact]
    public async Task WhatCannotBeFollowed_IsRefusedBeforeTheLoad_NamingTheFix()
    {
        var (database, destination, checkpoint) = await SetUpAsync("refused", rows: 10);
        await mysql.Server.ExecuteAsync(null, """
            CREATE USER IF NOT EXISTS 'loader'@'localhost' IDENTIFIED BY 'pw'; CREATE USER IF NOT EXISTS 'loader'@'%' IDENTIFIED BY 'pw';
            GRANT SELECT ON *.* TO 'loader'@'localhost'; GRANT SELECT ON *.* TO 'loader'@'%';
            """);
        var noPrivilege = await DdbCopyCli.RunAsync(new Dictionary<string, string> { ["MYSQL_PWD"] = "pw" }, TimeSpan.FromMinutes(2),
            ["import", "--from", $"mysql://loader@{mysql.Server.Host}:{mysql.Server.Port}/{database}", "--sourceTableName", "accounts", "--destinationEndpoint",
                db.Endpoint, "--destinationTable", destination, "--checkpointFile", checkpoint + ".user", "--follow", "--binlog"]);
        Assert.NotEqual(0, noPrivilege.ExitCode);
        Assert.Contains("REPLICATION SLAVE, REPLICATION CLIENT", noPrivilege.StandardError, StringComparison.Ordinal);

        await mysql.Server.ExecuteAsync(null, "SET GLOBAL binlog_format = 'STATEMENT'");
        try
        {
            var statement = await DdbCopyCli.RunAsync(mysql.Environment, TimeSpan.FromMinutes(2), Args(database, destination, checkpoint + ".statement"));
            Assert.NotEqual(0, statement.ExitCode);
            Assert.Contains("binlog_format is STATEMENT", statement.StandardError, StringComparison.Ordinal);
            Assert.Contains("binlog_format=ROW", statement.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            await mysql.Server.ExecuteAsync(null, "SET GLOBAL binlog_format = 'ROW'");
        }

        Assert.Equal(0, await Tables.CountAsync(db.Client, destination)); // refused before anything was written

        var done = await DdbCopyCli.RunAsync(mysql.Environment, TimeSpan.FromMinutes(2), [.. Args(database, destination, checkpoint), "--stopWhenCaughtUp"]);
        Assert.True(done.ExitCode == 0, done.ToString());
        await mysql.Server.ExecuteAsync(null, "FLUSH BINARY LOGS; FLUSH BINARY LOGS;");
        await PurgeAllButTheLastLogAsync();
        var purged = await DdbCopyCli.RunAsync(mysql.Environment, TimeSpan.FromMinutes(2), [.. Args(database, destination, checkpoint), "--resume", "--stopWhenCaughtUp"]);
        Assert.NotEqual(0, purged.ExitCode);
        Assert.Contains("purged", purged.StandardError, StringComparison.Ordinal);
        Assert.Contains("the earliest it has is binlog.", purged.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FaultsOnEveryWriteAndControlCall_AndAnItemDynamoDbRefuses_EndEqual_WithTheRefusedOneDeadLettered()
    {
        var (database, destination, checkpoint) = await SetUpAsync("faults", rows: 2_000);
        await mysql.Server.ExecuteAsync(database, "ALTER TABLE accounts MODIFY amount DECIMAL(65,2) NULL");
        await using var proxy = await FaultProxy.StartAsync(db.Endpoint);
        output.WriteLine($"fault proxy {proxy}");
        proxy.Options.ThrottleWrites = 0.2;
        proxy.Options.ControlPlaneThrottles = 0.15; // DescribeTable, PutItem, DeleteItem
        proxy.Options.ControlPlaneErrors = 0.1;
        proxy.Options.LostAnswers = 0.05; // applied, but the answer is lost: the change is written again
        proxy.Options.ThrottleFirstCallTo.UnionWith(["PutItem", "DeleteItem", "BatchWriteItem"]);
        var deadLetters = Path.Combine(_folder, "faults.deadletter.jsonl");
        string[] args = [.. Args(database, destination, checkpoint), "--deadLetterFile", deadLetters];
        args[Array.IndexOf(args, "--destinationEndpoint") + 1] = proxy.Url;

        var result = await DdbCopyCli.RunAsync(mysql.Environment, TimeSpan.FromMinutes(4), [.. args, "--stopWhenCaughtUp"], async process =>
        {
            await WaitForTransactionsAsync(checkpoint, 0, binlogPart: true);
            for (var i = 0; i < 200; i++)
            {
                await mysql.Server.ExecuteAsync(database, string.Create(CultureInfo.InvariantCulture,
                    $"UPDATE accounts SET name = 'f{i}' WHERE id = {i % 300 + 1}; DELETE FROM accounts WHERE id = {1000 + i}; INSERT INTO accounts (id, name) VALUES ({90000 + i}, 'n');"));
            }

            // 42 digits: MySQL keeps it, DynamoDB refuses numbers of more than 38.
            await mysql.Server.ExecuteAsync(database, "INSERT INTO accounts (id, name, amount) VALUES (99999, 'too precise', 1234567890123456789012345678901234567890.12)");
        });

        output.WriteLine(proxy.ToString());
        Assert.Equal(4, result.ExitCode); // finished, with a change in the dead-letter file: said, not lost
        var summary = DdbCopyCli.Summary(result);
        Assert.Equal(1, summary.GetProperty("streamDeadLettered").GetInt64());
        Assert.Contains("\"99999\"", await File.ReadAllTextAsync(deadLetters), StringComparison.Ordinal);
        Assert.True(proxy.Stats["throttled:PutItem"] + proxy.Stats["500:PutItem"] + proxy.Stats["throttled:DeleteItem"] + proxy.Stats["500:DeleteItem"]
            + proxy.Stats["throttled:BatchWriteItem"] + proxy.Stats["500:BatchWriteItem"] > 0, proxy.ToString());
        await mysql.Server.ExecuteAsync(database, "DELETE FROM accounts WHERE id = 99999");
        Assert.Equal(await ExpectedAsync(database), await ActualAsync(destination));
    }

    [Fact]
    public async Task EveryColumnType_Followed_IsTheItemAFreshLoadWrites()
    {
        var database = await mysql.Server.CreateDatabaseAsync("types");
        await mysql.Server.ExecuteAsync(database, $"CREATE TABLE everything ({BinlogClientTests.Columns}); INSERT INTO everything (id, name) VALUES (50, 'loaded')");
        var followed = await _tables.CreateAsync("binlog-types", hashKey: "id", hashType: "N");
        var loaded = await _tables.CreateAsync("binlog-types-loaded", hashKey: "id", hashType: "N");
        string[] Import(string destination, string checkpoint) =>
            ["import", "--from", mysql.Server.Url(database), "--sourceTableName", "everything", "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
                "--output", "json", "--checkpointFile", Path.Combine(_folder, checkpoint)];

        var result = await DdbCopyCli.RunAsync(mysql.Environment, TimeSpan.FromMinutes(3), [.. Import(followed, "types.json"), "--follow", "--binlog"], async process =>
        {
            await WaitForTransactionsAsync(Path.Combine(_folder, "types.json"), 0, binlogPart: true);
            await UntilLoadedAsync(Path.Combine(_folder, "types.json")); // so the rows come through the binary log
            // No empty strings or binaries: DynamoDB Local refuses them (DynamoDB takes them outside keys).
            await mysql.Server.ExecuteAsync(database, $$"""
                INSERT INTO everything VALUES {{BinlogClientTests.Row1}}, (2, 0, 0, 0, 0, 0, 0, 0, -0.0000000001, 0.5, -7, -1e100, 0, 'héllo 😀', 'c', 'n', 's',
                  X'01', X'00000000', X'02', '1970-01-01 00:00:00', '1000-01-01 00:00:00', NULL, '2000-01-01', '00:00:01.5', '-00:00:01', 1901, '[]', 'green',
                  FALSE, b'0', b'0', 'x');
                UPDATE everything SET amount = -1.5, doc = '{"k": [true, 2.25, "é"]}', colours = 'green', lasted = '12:00:00.001', seen = '2030-01-01 01:01:01.999' WHERE id = 50;
                UPDATE everything SET id = 3 WHERE id = 2;
                """);
            await WaitForTransactionsAsync(Path.Combine(_folder, "types.json"), 3);
            using var stop = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]);
            await stop.WaitForExitAsync();
        });
        var fresh = await DdbCopyCli.RunAsync(mysql.Environment, TimeSpan.FromMinutes(3), Import(loaded, "types-loaded.json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(fresh.ExitCode == 0, fresh.ToString());
        var expected = await ItemsAsync(loaded);
        Assert.Equal(3, expected.Count);
        Assert.Equal(expected, await ItemsAsync(followed));
    }

    [Fact]
    public async Task RowsFollowedThroughTheShapingFlags_AreTheItemsAFreshLoadWrites()
    {
        var database = await mysql.Server.CreateDatabaseAsync("shaped");
        await mysql.Server.ExecuteAsync(database, $"""
            CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(50), email VARCHAR(80), secret VARCHAR(20), score INT, flag TINYINT(1));
            INSERT INTO people SELECT seq, CONCAT('p', seq), CONCAT('p', seq, '@example.com'), 'hidden', seq, seq % 2 FROM {MariaDbServer.Sequence(1, 20)};
            """);
        var followed = await _tables.CreateAsync("binlog-shaped", hashKey: "id", hashType: "N");
        var loaded = await _tables.CreateAsync("binlog-loaded", hashKey: "id", hashType: "N");
        var environment = new Dictionary<string, string>(mysql.Environment) { ["DDBCOPY_MASK_KEY"] = "binlog-mask-key-0123456789abcdef" };
        string[] Shaping(string destination, string checkpoint) =>
            ["import", "--from", mysql.Server.Url(database), "--sourceTableName", "people", "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
                "--output", "json", "--checkpointFile", Path.Combine(_folder, checkpoint), "--excludeColumns", "secret", "--attribute", "label=${name}/${secret}",
                "--renameAttribute", "name=fullName", "--mask", "email", "--column", "flag:N",
                "--filterExpression", "score >= :min", "--expressionAttributeValues", """{":min":{"N":"10"}}"""];

        var result = await DdbCopyCli.RunAsync(environment, TimeSpan.FromMinutes(3), [.. Shaping(followed, "shaped.json"), "--follow", "--binlog"], async process =>
        {
            await WaitForTransactionsAsync(Path.Combine(_folder, "shaped.json"), 0, binlogPart: true);
            await mysql.Server.ExecuteAsync(database, $"""
                INSERT INTO people SELECT seq, CONCAT('p', seq), CONCAT('p', seq, '@example.com'), 'hidden', seq, seq % 2 FROM {MariaDbServer.Sequence(21, 40)};
                UPDATE people SET score = 50 WHERE id = 5;
                UPDATE people SET score = 0, name = 'gone' WHERE id = 15;
                DELETE FROM people WHERE id = 16;
                UPDATE people SET id = 100 WHERE id = 30;
                """);
            await WaitForTransactionsAsync(Path.Combine(_folder, "shaped.json"), 5);
            using var stop = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]);
            await stop.WaitForExitAsync();
        });
        var fresh = await DdbCopyCli.RunAsync(environment, TimeSpan.FromMinutes(3), Shaping(loaded, "loaded.json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(fresh.ExitCode == 0, fresh.ToString());
        var expected = await ItemsAsync(loaded);
        Assert.Equal(30, expected.Count); // scores 10 to 40 and 5 (now 50), less 15 (now 0) and 16 (deleted); 30 moved to 100
        Assert.Equal(expected, await ItemsAsync(followed));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task TheDocsBlock_RunsAsWritten()
    {
        var database = await mysql.Server.CreateDatabaseAsync("shop");
        await mysql.Server.ExecuteAsync(database, $"""
            CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(50));
            INSERT INTO customers SELECT seq, CONCAT('c', seq) FROM {MariaDbServer.Sequence(1, 300)};
            """);
        await DeleteAsync("Customers");
        await Tables.CreateAsync(db.Client, "Customers", hashKey: "id", hashType: "N");
        using var script = new ReadmeScript();
        try
        {
            var result = await script.RunAsync(ReadmeScript.Block("## Follow the binary log"), db.Endpoint, null,
                new Dictionary<string, string> { ["mysql://repl@db.internal/shop"] = mysql.Server.Url(database) }, mysql.Environment);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(300, await Tables.CountAsync(db.Client, "Customers"));
        }
        finally
        {
            await DeleteAsync("Customers");
        }
    }

    private async Task DeleteAsync(string table)
    {
        try
        {
            await db.Client.DeleteTableAsync(table);
        }
        catch (Amazon.DynamoDBv2.Model.ResourceNotFoundException)
        {
        }
    }

    private string[] Args(string database, string destination, string checkpoint) =>
        ["import", "--from", mysql.Server.Url(database), "--sourceTableName", "accounts", "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            "--output", "json", "--checkpointFile", checkpoint, "--writeCapacityUnits", "4000", "--follow", "--binlog"];

    private async Task<(string Database, string Destination, string Checkpoint)> SetUpAsync(string name, int rows = Rows)
    {
        var database = await mysql.Server.CreateDatabaseAsync(name);
        await mysql.Server.ExecuteAsync(database, $"""
            CREATE TABLE accounts (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL, amount DECIMAL(10,2) NULL, note TEXT NULL);
            INSERT INTO accounts (id, name, amount) SELECT seq, CONCAT('name-', seq), seq / 4 FROM {MariaDbServer.Sequence(1, rows)};
            """);
        var destination = await _tables.CreateAsync("binlog-" + name, hashKey: "id", hashType: "N");
        return (database, destination, Path.Combine(_folder, $"{name}.checkpoint.json"));
    }

    /// <summary>Waits until the checkpoint's binary log part counts <paramref name="transactions"/> applied transactions (or, with <paramref name="binlogPart"/>, exists).</summary>
    private static async Task WaitForTransactionsAsync(string checkpoint, long transactions, bool binlogPart = false)
    {
        var watch = Stopwatch.StartNew();
        while (await TransactionsAsync(checkpoint) is var count && (binlogPart ? count < 0 : count < transactions))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(3),
                $"the checkpoint did not reach {transactions} transactions ({count}): {(File.Exists(checkpoint) ? File.ReadAllText(checkpoint) : "no checkpoint")}");
            await Task.Delay(200);
        }
    }

    private static async Task UntilLoadedAsync(string checkpoint)
    {
        var watch = Stopwatch.StartNew();
        while (!File.Exists(checkpoint) || !(await File.ReadAllTextAsync(checkpoint)).Contains("\"state\": \"finished\"", StringComparison.Ordinal))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), "the load did not finish");
            await Task.Delay(100);
        }
    }

    private static async Task<long> TransactionsAsync(string checkpoint)
    {
        try
        {
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(checkpoint));
            return json.RootElement.TryGetProperty("binlog", out var part) ? part.TryGetProperty("transactions", out var t) ? t.GetInt64() : 0 : -1;
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return -1;
        }
    }

    private async Task WaitUntilEqualAsync(string database, string destination)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromMinutes(3))
        {
            if ((await ExpectedAsync(database)).SequenceEqual(await ActualAsync(destination)))
            {
                return;
            }

            await Task.Delay(500);
        }

        output.WriteLine("the destination did not become equal in 3 minutes");
    }

    /// <summary>The table's rows, as the items they map to, read and written out by the test itself.</summary>
    private async Task<List<string>> ExpectedAsync(string database)
    {
        var rows = new List<string>();
        await using var connection = await mysql.Server.OpenAsync(database);
        await using var command = new MySqlConnector.MySqlCommand("SELECT * FROM accounts", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var parts = new SortedDictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (!reader.IsDBNull(i))
                {
                    parts[reader.GetName(i)] = reader.GetName(i) is "id" or "amount"
                        ? "N:" + Number(Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!)
                        : "S:" + reader.GetString(i);
                }
            }

            rows.Add(string.Join("|", parts.Select(p => $"{p.Key}={p.Value}")));
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private async Task<List<string>> ActualAsync(string destination)
    {
        var rows = (await Tables.ScanAllAsync(db.Client, destination))
            .Select(item => string.Join("|", item.OrderBy(a => a.Key, StringComparer.Ordinal)
                .Select(a => $"{a.Key}={(a.Value.N is { } n ? "N:" + Number(n) : "S:" + a.Value.S)}")))
            .ToList();
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static string Number(string text) => decimal.Parse(text, CultureInfo.InvariantCulture).ToString("G29", CultureInfo.InvariantCulture);

    /// <summary>A table's items as sorted lines of DynamoDB JSON, read by the test.</summary>
    private async Task<List<string>> ItemsAsync(string table) =>
        [.. (await Tables.ScanAllAsync(db.Client, table)).Select(i => Core.Formats.DynamoDbJson.ToJsonLine(new SortedDictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>(i, StringComparer.Ordinal)))
            .Order(StringComparer.Ordinal)];

    /// <summary>
    /// Purges every binary log but the current one. The server keeps a log that a replica's dump thread still reads, with
    /// only a warning, and the thread of a ddbcopy that has just ended lives until its next heartbeat fails: those threads
    /// are ended first, and the purge is checked by listing the logs.
    /// </summary>
    private async Task PurgeAllButTheLastLogAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            await using (var connection = await mysql.Server.OpenAsync(null))
            {
                var dumps = new List<long>();
                await using (var command = new MySqlConnector.MySqlCommand("SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'", connection))
                await using (var reader = await command.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync()) dumps.Add(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture));
                }

                foreach (var id in dumps)
                {
                    try
                    {
                        await using var kill = new MySqlConnector.MySqlCommand($"KILL {id}", connection);
                        await kill.ExecuteNonQueryAsync();
                    }
                    catch (MySqlConnector.MySqlException) { } // it ended by itself meanwhile
                }
            }

            await mysql.Server.ExecuteAsync(null, $"PURGE BINARY LOGS TO '{await LastLogAsync()}'");
            await using (var connection = await mysql.Server.OpenAsync(null))
            await using (var command = new MySqlConnector.MySqlCommand("SHOW BINARY LOGS", connection))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                var logs = 0;
                while (await reader.ReadAsync()) logs++;
                if (logs == 1) return;
                Assert.True(attempt < 20, $"{logs} binary logs are left after PURGE BINARY LOGS");
            }

            await Task.Delay(250);
        }
    }

    private async Task<string> LastLogAsync()
    {
        await using var connection = await mysql.Server.OpenAsync(null);
        await using var command = new MySqlConnector.MySqlCommand("SHOW MASTER STATUS", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.GetString(0);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
