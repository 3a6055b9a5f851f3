using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2.Model;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;
using Xunit.Abstractions;

namespace DdbCopy.IntegrationTests.MySql;

/// <summary>Imports from a real MariaDB server through the real CLI into DynamoDB Local.</summary>
[Collection(DynamoDbCollection.Name)]
public sealed class MySqlImportTests(DynamoDbFixture db, MariaDbFixture mysql, ITestOutputHelper output) : IClassFixture<MariaDbFixture>, IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-mysql-").FullName;

    private Task<ProcessResult> ImportAsync(string database, params string[] args) =>
        DdbCopyCli.RunAsync(mysql.Environment, TimeSpan.FromMinutes(5),
            ["import", "--from", mysql.Server.Url(database), "--destinationEndpoint", db.Endpoint, "--output", "json",
                "--checkpointFile", Path.Combine(_folder, $"{Guid.NewGuid():N}.checkpoint.json"), .. args]);

    [Fact]
    public async Task EveryColumnType_RoundTripsWithExactValues()
    {
        var database = await mysql.Server.CreateDatabaseAsync("types");
        await mysql.Server.ExecuteAsync(database, """
            CREATE TABLE everything (
              id BIGINT UNSIGNED PRIMARY KEY, amount DECIMAL(38,10), ratio DOUBLE, small FLOAT, name VARCHAR(100), note TEXT, size ENUM('s','m','l'),
              photo BLOB, code BINARY(4), created DATETIME(6), seen TIMESTAMP(3) NULL, born DATE, lasted TIME(3), since YEAR, doc JSON,
              colours SET('red','green','blue'), active BOOLEAN, flag BIT(1), missing VARCHAR(5));
            INSERT INTO everything VALUES
              (18446744073709551615, 9999999999999999999999999999.9999999999, 0.1, 1.5, 'héllo 😀 ünïcode', 'a text', 'm', X'00FF10', X'DEADBEEF',
               '2024-02-29 23:59:58.123456', '2024-01-01 00:00:00.500', '1999-12-31', '-838:59:59.000', 2024,
               '{"a":[1,2.5,{"b":null}],"c":"x","d":true,"e":12345678901234567890}', 'red,blue', TRUE, b'1', NULL),
              (0, -0.0000000001, -1e100, 0, 'zero', 'n', 's', X'01', X'00000000', '1970-01-01 00:00:00', NULL, '2000-01-01', '00:00:01.5', 1901,
               '[]', '', FALSE, b'0', 'x');
            """);
        var destination = await _tables.CreateAsync("mysql-types", hashKey: "id", hashType: "N");

        var result = await ImportAsync(database, "--sourceTableName", "everything", "--destinationTable", destination);

        Assert.True(result.ExitCode == 0, result.ToString());
        var items = (await Tables.ScanAllAsync(db.Client, destination)).ToDictionary(i => i["id"].N);
        var max = items["18446744073709551615"];
        Assert.Equal("9999999999999999999999999999.9999999999", max["amount"].N);
        Assert.Equal("0.1", max["ratio"].N);
        Assert.Equal("1.5", max["small"].N);
        Assert.Equal("héllo 😀 ünïcode", max["name"].S);
        Assert.Equal("m", max["size"].S);
        Assert.Equal([0x00, 0xFF, 0x10], max["photo"].B.ToArray());
        Assert.Equal([0xDE, 0xAD, 0xBE, 0xEF], max["code"].B.ToArray());
        Assert.Equal("2024-02-29T23:59:58.123456Z", max["created"].S);
        Assert.Equal("2024-01-01T00:00:00.5Z", max["seen"].S);
        Assert.Equal("1999-12-31", max["born"].S);
        Assert.Equal("-838:59:59", max["lasted"].S);
        Assert.Equal("2024", max["since"].N);
        var doc = max["doc"].M;
        Assert.Equal(["1", "2.5"], doc["a"].L.Take(2).Select(v => v.N));
        Assert.True(doc["a"].L[2].M["b"].NULL);
        Assert.Equal("x", doc["c"].S);
        Assert.True(doc["d"].BOOL);
        Assert.Equal("12345678901234567890", doc["e"].N);
        Assert.Equal(["blue", "red"], max["colours"].SS.Order(StringComparer.Ordinal));
        Assert.True(max["active"].BOOL);
        Assert.True(max["flag"].BOOL);
        Assert.False(max.ContainsKey("missing")); // NULL: left out
        var zero = items["0"];
        Assert.Equal(-1e100, double.Parse(zero["ratio"].N, CultureInfo.InvariantCulture));
        Assert.Equal("00:00:01.5", zero["lasted"].S);
        Assert.Empty(zero["doc"].L);
        Assert.False(zero.ContainsKey("colours")); // an empty SET: no empty string set in DynamoDB
        Assert.False(zero["active"].BOOL);
        Assert.Equal("x", zero["missing"].S);
    }

    [Fact]
    public async Task CompositeKeyTemplates_GroupOrderLinesIntoOneItemPerOrder()
    {
        var database = await mysql.Server.CreateDatabaseAsync("orders");
        await mysql.Server.ExecuteAsync(database, """
            CREATE TABLE order_lines (customer_id INT, order_id INT, line_no INT, sku VARCHAR(20), qty INT, placed DATE, PRIMARY KEY (order_id, line_no));
            INSERT INTO order_lines VALUES (7, 100, 1, 'apple', 3, '2024-05-01'), (7, 100, 2, 'pear', 1, '2024-05-01'), (7, 101, 1, 'apple', 5, '2024-05-02'),
              (9, 102, 1, 'plum', 2, '2024-05-03');
            """);
        var destination = await _tables.CreateAsync("mysql-orders", rangeKey: "sk");

        var result = await ImportAsync(database, "--query", "SELECT * FROM order_lines ORDER BY order_id, line_no", "--destinationTable", destination,
            "--attribute", "pk=CUSTOMER#${customer_id}", "--attribute", "sk=ORDER#${order_id}", "--excludeColumns", "customer_id,order_id,line_no",
            "--groupBy", "pk,sk", "--pivot", "sku=qty");

        Assert.True(result.ExitCode == 0, result.ToString());
        var items = (await Tables.ScanAllAsync(db.Client, destination)).ToDictionary(i => i["sk"].S);
        Assert.Equal(3, items.Count);
        Assert.Equal("CUSTOMER#7", items["ORDER#100"]["pk"].S);
        Assert.Equal(("3", "1"), (items["ORDER#100"]["apple"].N, items["ORDER#100"]["pear"].N));
        Assert.Equal("2024-05-01", items["ORDER#100"]["placed"].S);
        Assert.Equal("5", items["ORDER#101"]["apple"].N);
        Assert.Equal("CUSTOMER#9", items["ORDER#102"]["pk"].S);
        Assert.False(items["ORDER#100"].ContainsKey("order_id"));
    }

    [Fact]
    public async Task TwoHundredThousandRows_InParallelRanges_WithFlatMemory_AndKillMinus9ThenResume()
    {
        const int Rows = 200_000;
        var database = await mysql.Server.CreateDatabaseAsync("big");
        await mysql.Server.ExecuteAsync(database, $"""
            CREATE TABLE events (id BIGINT PRIMARY KEY, kind VARCHAR(20), payload VARCHAR(300));
            INSERT INTO events SELECT seq, CONCAT('kind-', seq % 7), REPEAT('x', 200 + seq % 50) FROM {MariaDbServer.Sequence(1, Rows)};
            ANALYZE TABLE events;
            """);
        var destination = await _tables.CreateAsync("mysql-big", hashKey: "id", hashType: "N", writeUnits: 40_000);
        var checkpoint = Path.Combine(_folder, "big.checkpoint.json");
        string[] args = ["import", "--from", mysql.Server.Url(database), "--sourceTableName", "events", "--destinationEndpoint", db.Endpoint,
            "--destinationTable", destination, "--segments", "8", "--output", "json", "--checkpointFile", checkpoint, "--writeCapacityUnits", "6000"];
        long peakKb = 0;

        var killed = await DdbCopyCli.RunAsync(mysql.Environment, TimeSpan.FromMinutes(5), args, async process =>
        {
            var watch = Stopwatch.StartNew();
            while (!process.HasExited && watch.Elapsed < TimeSpan.FromMinutes(3))
            {
                peakKb = Math.Max(peakKb, RssKb(process.Id));
                if (await CountAsync(destination) >= Rows / 3)
                {
                    break;
                }

                await Task.Delay(50);
            }

            process.Kill();
        });

        Assert.NotEqual(0, killed.ExitCode);
        var before = await CountAsync(destination);
        output.WriteLine($"killed with {before} items written, peak RSS {peakKb / 1024} MB");
        Assert.InRange(before, Rows / 4, Rows - 1);
        var resumed = await DdbCopyCli.RunAsync(mysql.Environment, TimeSpan.FromMinutes(5), [.. args, "--resume"], async process =>
        {
            while (!process.HasExited)
            {
                peakKb = Math.Max(peakKb, RssKb(process.Id));
                await Task.Delay(50);
            }
        });

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var summary = DdbCopyCli.Summary(resumed);
        Assert.True(summary.GetProperty("resumed").GetInt64() > 0);
        var items = await Tables.ScanAllAsync(db.Client, destination);
        Assert.Equal(Rows, items.Count);
        Assert.Equal(Enumerable.Range(1, Rows).Select(i => i.ToString(CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal),
            items.Select(i => i["id"].N).Order(StringComparer.Ordinal));
        var sample = items.First(i => i["id"].N == "12345");
        Assert.Equal(("kind-4", 200 + 12345 % 50), (sample["kind"].S, sample["payload"].S.Length));
        Assert.InRange(peakKb / 1024, 1, 400); // flat: rows are streamed, never the table in memory
    }

    [Fact]
    public async Task RowsDynamoDbCannotTake_AreRejectedWithTableKeyAndReason_TheRestWritten()
    {
        var database = await mysql.Server.CreateDatabaseAsync("bad");
        await mysql.Server.ExecuteAsync(database, """
            CREATE TABLE people (id INT PRIMARY KEY, email VARCHAR(100), age VARCHAR(10), bio LONGTEXT);
            INSERT INTO people VALUES (1, 'a@example.com', '31', 'ok'), (2, '', '40', 'empty key'), (3, 'c@example.com', 'old', 'not a number'),
              (4, 'd@example.com', '22', REPEAT('x', 420000)), (5, 'e@example.com', '50', 'ok');
            """);
        var destination = await _tables.CreateAsync("mysql-bad");
        var rejects = Path.Combine(_folder, "rejects.jsonl");

        var result = await ImportAsync(database, "--sourceTableName", "people", "--destinationTable", destination, "--attribute", "pk=${email}",
            "--column", "age:N", "--rejectFile", rejects);

        Assert.Equal(4, result.ExitCode);
        var summary = DdbCopyCli.Summary(result);
        Assert.Equal((2, 3), (summary.GetProperty("written").GetInt32(), summary.GetProperty("rejected").GetInt32()));
        var lines = (await File.ReadAllLinesAsync(rejects)).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Select(l => (File: l.GetProperty("file").GetString()!, Reason: l.GetProperty("reason").GetString()!)).ToList();
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.Equal("people", l.File));
        Assert.Contains(lines, l => l.Reason.StartsWith("row (id=2): ", StringComparison.Ordinal) && l.Reason.Contains("column 'email' is empty", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Reason.StartsWith("row (id=3): ", StringComparison.Ordinal) && l.Reason.Contains("is not a number", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Reason.StartsWith("row (id=4): ", StringComparison.Ordinal) && l.Reason.Contains("400 KB", StringComparison.Ordinal));
        Assert.Equal(["a@example.com", "e@example.com"], (await Tables.ScanAllAsync(db.Client, destination)).Select(i => i["pk"].S).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task MistakesAboutTheDatabase_AreClearOneLineErrors_BeforeAnythingIsWritten()
    {
        var database = await mysql.Server.CreateDatabaseAsync("mistakes");
        await mysql.Server.ExecuteAsync(database, "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(10)); INSERT INTO t VALUES (1, 'a');");
        var destination = await _tables.CreateAsync("mysql-mistakes");

        var noTable = await ImportAsync(database, "--sourceTableName", "nope", "--destinationTable", destination);
        var noColumn = await ImportAsync(database, "--sourceTableName", "t", "--destinationTable", destination, "--attribute", "pk=${missing}");
        var badQuery = await ImportAsync(database, "--query", "SELEC nonsense", "--destinationTable", destination);
        var password = await DdbCopyCli.RunAsync("import", "--from", $"mysql://root:secret@{mysql.Server.Host}:{mysql.Server.Port}/{database}",
            "--sourceTableName", "t", "--destinationTable", destination, "--destinationEndpoint", db.Endpoint);

        Assert.Equal(3, noTable.ExitCode);
        Assert.Contains("The table 'nope' does not exist", DdbCopyCli.Summary(noTable).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, noColumn.ExitCode);
        Assert.Contains("has no column 'missing' (--attribute pk)", DdbCopyCli.Summary(noColumn).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, badQuery.ExitCode);
        Assert.Contains("--query cannot be run", DdbCopyCli.Summary(badQuery).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, password.ExitCode);
        Assert.Contains("holds a password", password.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", password.StandardError.Replace("holds a password", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(0, await Tables.CountAsync(db.Client, destination));
    }

    [Fact]
    public async Task Follow_PicksUpInsertsAndUpdatesMadeDuringAndAfterTheLoad_AndSoftDeletes()
    {
        const int Rows = 20_000;
        var database = await mysql.Server.CreateDatabaseAsync("follow");
        await mysql.Server.ExecuteAsync(database, $"""
            CREATE TABLE accounts (id INT PRIMARY KEY, name VARCHAR(40), is_deleted BOOLEAN NOT NULL DEFAULT 0,
              updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6));
            INSERT INTO accounts (id, name) SELECT seq, CONCAT('name-', seq) FROM {MariaDbServer.Sequence(1, Rows)};
            """);
        var destination = await _tables.CreateAsync("mysql-follow", hashKey: "id", hashType: "N", writeUnits: 10_000);
        var checkpoint = Path.Combine(_folder, "follow.checkpoint.json");
        string[] args = ["import", "--from", mysql.Server.Url(database), "--sourceTableName", "accounts", "--destinationEndpoint", db.Endpoint,
            "--destinationTable", destination, "--output", "json", "--checkpointFile", checkpoint, "--writeCapacityUnits", "2000",
            "--follow", "--incrementalColumn", "updated_at", "--deletedColumn", "is_deleted", "--excludeColumns", "is_deleted,updated_at",
            "--pollIntervalSeconds", "0.5", "--overlapSeconds", "2"];

        var result = await DdbCopyCli.RunAsync(mysql.Environment, TimeSpan.FromMinutes(4), args, async process =>
        {
            // During the load: updates and inserts.
            await Task.Delay(1500);
            await mysql.Server.ExecuteAsync(database, $"""
                UPDATE accounts SET name = CONCAT('during-', id) WHERE id <= 100;
                INSERT INTO accounts (id, name) SELECT seq, CONCAT('new-', seq) FROM {MariaDbServer.Sequence(20001, 20050)};
                """);
            var watch = Stopwatch.StartNew();
            while (!File.Exists(checkpoint) || !(await File.ReadAllTextAsync(checkpoint)).Contains("\"state\": \"finished\"", StringComparison.Ordinal))
            {
                Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), "the load did not finish");
                await Task.Delay(200);
            }

            // After the load: more updates and inserts, and soft deletes (of loaded rows and of rows inserted during the load).
            await mysql.Server.ExecuteAsync(database, $"""
                UPDATE accounts SET name = CONCAT('after-', id) WHERE id BETWEEN 101 AND 150;
                INSERT INTO accounts (id, name) SELECT seq, CONCAT('late-', seq) FROM {MariaDbServer.Sequence(20051, 20060)};
                UPDATE accounts SET is_deleted = 1 WHERE id <= 10 OR id BETWEEN 20001 AND 20005;
                """);
            while (watch.Elapsed < TimeSpan.FromMinutes(3))
            {
                var present = await db.Client.GetItemAsync(destination, new Dictionary<string, AttributeValue> { ["id"] = new() { N = "20060" } });
                var gone = await db.Client.GetItemAsync(destination, new Dictionary<string, AttributeValue> { ["id"] = new() { N = "20005" } });
                if (present.IsItemSet && !gone.IsItemSet)
                {
                    break;
                }

                await Task.Delay(250);
            }

            await Task.Delay(1500); // a few more polls, then stop as an operator would
            using var stop = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            await stop.WaitForExitAsync();
        });

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = DdbCopyCli.Summary(result);
        Assert.True(summary.GetProperty("applied").GetInt64() >= 100 + 50 + 50 + 10 + 15, result.ToString());
        // The destination equals the source's rows that are not soft-deleted, read by the test itself.
        var expected = new List<(string, string)>();
        await using (var connection = await mysql.Server.OpenAsync(database))
        {
            await using var command = new MySqlConnector.MySqlCommand("SELECT id, name FROM accounts WHERE is_deleted = 0", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                expected.Add((reader.GetInt32(0).ToString(CultureInfo.InvariantCulture), reader.GetString(1)));
            }
        }

        var actual = (await Tables.ScanAllAsync(db.Client, destination)).Select(i => (i["id"].N, i["name"].S)).ToList();
        Assert.Equal(Rows + 60 - 15, expected.Count);
        Assert.Equal(expected.Order(), actual.Order());
        Assert.All(actual, i => Assert.False(i.Item2.StartsWith("name-", StringComparison.Ordinal) && int.Parse(i.Item1, CultureInfo.InvariantCulture) <= 150));
    }

    [Fact]
    public async Task CreateDestination_FromTheTablesPrimaryKey_OrFromDestinationKey()
    {
        var database = await mysql.Server.CreateDatabaseAsync("create");
        await mysql.Server.ExecuteAsync(database, """
            CREATE TABLE order_items (order_id INT, line_no SMALLINT, sku VARCHAR(20), PRIMARY KEY (order_id, line_no));
            INSERT INTO order_items VALUES (1, 1, 'a'), (1, 2, 'b'), (2, 1, 'c');
            """);
        var fromKey = Tables.UniqueName("mysql-created");
        var fromFlag = Tables.UniqueName("mysql-keyed");
        try
        {
            var byTable = await ImportAsync(database, "--sourceTableName", "order_items", "--destinationTable", fromKey, "--createDestination",
                "--renameAttribute", "order_id=orderId", "--allowKeyChanges");
            var byFlag = await ImportAsync(database, "--query", "SELECT * FROM order_items ORDER BY order_id, line_no", "--destinationTable", fromFlag,
                "--createDestination", "--destinationKey", "pk:S,sk:N", "--attribute", "pk=ORDER#${order_id}", "--attribute", "sk:N=${line_no}");

            Assert.True(byTable.ExitCode == 0, byTable.ToString());
            Assert.True(byFlag.ExitCode == 0, byFlag.ToString());
            var created = (await db.Client.DescribeTableAsync(fromKey)).Table;
            Assert.Equal([("orderId", "HASH"), ("line_no", "RANGE")], created.KeySchema.Select(k => (k.AttributeName, k.KeyType.Value)));
            Assert.All(created.AttributeDefinitions, a => Assert.Equal("N", a.AttributeType.Value));
            Assert.Equal(3, await CountAsync(fromKey));
            var keyed = (await db.Client.DescribeTableAsync(fromFlag)).Table;
            Assert.Equal([("pk", "HASH"), ("sk", "RANGE")], keyed.KeySchema.Select(k => (k.AttributeName, k.KeyType.Value)));
            Assert.Equal(["ORDER#1", "ORDER#1", "ORDER#2"], (await Tables.ScanAllAsync(db.Client, fromFlag)).Select(i => i["pk"].S).Order(StringComparer.Ordinal));
        }
        finally
        {
            foreach (var table in new[] { fromKey, fromFlag })
            {
                try
                {
                    await db.Client.DeleteTableAsync(table);
                }
                catch (ResourceNotFoundException)
                {
                }
            }
        }
    }

    /// <summary>How many items a table holds, counted by the test with its own paged COUNT scan.</summary>
    private async Task<long> CountAsync(string table)
    {
        long count = 0;
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await db.Client.ScanAsync(new ScanRequest { TableName = table, Select = Amazon.DynamoDBv2.Select.COUNT, ExclusiveStartKey = start });
            count += page.Count ?? 0;
            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);
        return count;
    }

    /// <summary>The process's resident memory, read by the test from /proc (not from anything ddbcopy reports).</summary>
    private static long RssKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
