using System.Globalization;
using System.Text.Json;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.MySql;

/// <summary>
/// Where an import from a real MariaDB meets another feature (following with grouping, following with soft deletes,
/// booleans with numbers, the destination's key, masking with rejects, passwords with URLs): through the real CLI.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class MySqlFeaturePairTests(DynamoDbFixture db, MariaDbFixture mysql) : IClassFixture<MariaDbFixture>, IAsyncLifetime
{
    private static readonly Dictionary<string, string> MaskKey = new() { ["DDBCOPY_MASK_KEY"] = "pairs-mask-key-0123456789abcdef" };
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-mysql-pairs-").FullName;

    private Task<ProcessResult> ImportAsync(string database, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        DdbCopyCli.RunAsync(mysql.Environment.Concat(environment ?? new Dictionary<string, string>()).ToDictionary(e => e.Key, e => e.Value),
            TimeSpan.FromMinutes(3),
            ["import", "--from", mysql.Server.Url(database), "--destinationEndpoint", db.Endpoint, "--output", "json",
                "--checkpointFile", Path.Combine(_folder, $"{Guid.NewGuid():N}.checkpoint.json"), .. args]);

    [Fact]
    public async Task FollowWithGroupByOrPivot_IsRefusedBeforeAnything_NeverWritesAGroupFromOneChangedRow()
    {
        var database = await mysql.Server.CreateDatabaseAsync("groupfollow");
        await mysql.Server.ExecuteAsync(database, """
            CREATE TABLE order_lines (order_id INT, line_no INT, sku VARCHAR(20), qty INT,
              updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), PRIMARY KEY (order_id, line_no));
            INSERT INTO order_lines (order_id, line_no, sku, qty) VALUES (1, 1, 'apple', 3), (1, 2, 'pear', 1);
            """);
        var destination = await _tables.CreateAsync("mysql-groupfollow");

        var grouped = await ImportAsync(database, null, "--sourceTableName", "order_lines", "--destinationTable", destination, "--attribute", "pk=ORDER#${order_id}",
            "--groupBy", "pk", "--pivot", "sku=qty", "--follow", "--incrementalColumn", "updated_at", "--stopWhenCaughtUp");
        var pivoted = await ImportAsync(database, null, "--sourceTableName", "order_lines", "--destinationTable", destination, "--attribute", "pk=ORDER#${order_id}|${line_no}",
            "--pivot", "sku=qty", "--follow", "--incrementalColumn", "updated_at", "--stopWhenCaughtUp");

        Assert.Equal(2, grouped.ExitCode);
        Assert.Contains("--groupBy cannot be used with --follow", grouped.StandardError, StringComparison.Ordinal);
        Assert.Contains("--pivot cannot be used with --follow", grouped.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, pivoted.ExitCode);
        Assert.Equal(0, await Tables.CountAsync(db.Client, destination));
    }

    [Fact]
    public async Task RowsSoftDeletedBeforeTheLoad_AreLeftOutOfIt_AndCountedAsFiltered()
    {
        var database = await mysql.Server.CreateDatabaseAsync("softload");
        await mysql.Server.ExecuteAsync(database, $"""
            CREATE TABLE accounts (id INT PRIMARY KEY, name VARCHAR(40), is_deleted BOOLEAN NOT NULL DEFAULT 0,
              updated_at TIMESTAMP(6) NOT NULL DEFAULT '2024-01-01 00:00:00');
            INSERT INTO accounts (id, name) SELECT seq, CONCAT('name-', seq) FROM {MariaDbServer.Sequence(1, 3000)};
            UPDATE accounts SET is_deleted = 1 WHERE id % 10 = 0;
            """);
        var destination = await _tables.CreateAsync("mysql-softload", hashKey: "id", hashType: "N");

        var result = await ImportAsync(database, null, "--sourceTableName", "accounts", "--destinationTable", destination, "--segments", "3",
            "--follow", "--incrementalColumn", "updated_at", "--deletedColumn", "is_deleted", "--excludeColumns", "is_deleted", "--stopWhenCaughtUp",
            "--pollIntervalSeconds", "0.2");

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = DdbCopyCli.Summary(result);
        Assert.Equal((2700, 300), (summary.GetProperty("written").GetInt32(), summary.GetProperty("filtered").GetInt32()));
        var ids = (await Tables.ScanAllAsync(db.Client, destination)).Select(i => int.Parse(i["id"].N, CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 3000).Where(i => i % 10 != 0), ids);
    }

    [Fact]
    public async Task TheDeletesOfSoftDeletedRows_PayTheWriteBudget_AsThePutsDo()
    {
        const int Budget = 20;
        var database = await mysql.Server.CreateDatabaseAsync("softbudget");
        await mysql.Server.ExecuteAsync(database, $"""
            CREATE TABLE accounts (id INT PRIMARY KEY, name VARCHAR(40), is_deleted BOOLEAN NOT NULL DEFAULT 0,
              updated_at TIMESTAMP(6) NOT NULL DEFAULT '2024-01-01 00:00:00');
            INSERT INTO accounts (id, name) SELECT seq, CONCAT('name-', seq) FROM {MariaDbServer.Sequence(1, 80)};
            UPDATE accounts SET is_deleted = 1 WHERE id > 40;
            """);
        var destination = await _tables.CreateAsync("mysql-softbudget", hashKey: "id", hashType: "N");
        // The items of the soft-deleted rows are in the destination (a load of an earlier day): the follow deletes them.
        await Tables.PutAllAsync(db.Client, destination, Enumerable.Range(41, 40)
            .Select(i => new Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue> { ["id"] = new() { N = i.ToString(CultureInfo.InvariantCulture) } }));
        await using var proxy = await TestSupport.Faults.FaultProxy.StartAsync(db.Endpoint);

        var result = await DdbCopyCli.RunAsync(mysql.Environment, TimeSpan.FromMinutes(3),
            ["import", "--from", mysql.Server.Url(database), "--sourceTableName", "accounts", "--destinationEndpoint", proxy.Url, "--destinationTable", destination,
             "--output", "json", "--checkpointFile", Path.Combine(_folder, "softbudget.checkpoint.json"), "--writeCapacityUnits", $"{Budget}",
             "--follow", "--incrementalColumn", "updated_at", "--deletedColumn", "is_deleted", "--excludeColumns", "is_deleted,updated_at",
             "--stopWhenCaughtUp", "--pollIntervalSeconds", "0.2"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var ids = (await Tables.ScanAllAsync(db.Client, destination)).Select(i => int.Parse(i["id"].N, CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 40), ids);
        // 40 deletes of items under 1 KB (1 WCU each) at 20 WCU/s, paid before each is sent: the last goes out 1.95 s
        // after the first, and no second holds more than the budget and one delete. Measured by the proxy's clock.
        var deletes = proxy.ArrivalsOf("DeleteItem");
        Assert.Equal(40, deletes.Count);
        var span = System.Diagnostics.Stopwatch.GetElapsedTime(deletes[0], deletes[^1]).TotalSeconds;
        var busiest = deletes.Max(start => deletes.Count(t => t >= start && System.Diagnostics.Stopwatch.GetElapsedTime(start, t) < TimeSpan.FromSeconds(1)));
        Assert.True(span >= 39.0 / Budget * 0.95, $"40 deletes in {span:0.00} s: faster than {Budget} WCU/s");
        Assert.InRange(busiest, 1, Budget + 1);
    }

    [Fact]
    public async Task ATinyInt1HoldingTwo_IsNeverTurnedIntoTrue_ItIsRejected_AndColumnNReadsEveryValue()
    {
        var database = await mysql.Server.CreateDatabaseAsync("tiny");
        await mysql.Server.ExecuteAsync(database, """
            CREATE TABLE flags (id INT PRIMARY KEY, level TINYINT(1), yes BOOLEAN);
            INSERT INTO flags VALUES (1, 0, TRUE), (2, 1, FALSE), (3, 2, TRUE), (4, -1, FALSE);
            """);
        var booleans = await _tables.CreateAsync("mysql-tiny", hashKey: "id", hashType: "N");
        var numbers = await _tables.CreateAsync("mysql-tiny-n", hashKey: "id", hashType: "N");
        var rejects = Path.Combine(_folder, "tiny-rejects.jsonl");

        var asBooleans = await ImportAsync(database, null, "--sourceTableName", "flags", "--destinationTable", booleans, "--rejectFile", rejects);
        var asNumbers = await ImportAsync(database, null, "--sourceTableName", "flags", "--destinationTable", numbers, "--column", "level:N");

        Assert.Equal(4, asBooleans.ExitCode);
        Assert.Equal((2, 2), (DdbCopyCli.Summary(asBooleans).GetProperty("written").GetInt32(), DdbCopyCli.Summary(asBooleans).GetProperty("rejected").GetInt32()));
        var reasons = (await File.ReadAllLinesAsync(rejects)).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("reason").GetString()!).ToList();
        Assert.All(reasons, r => Assert.Contains("--column level:N", r, StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("holds 2", StringComparison.Ordinal));
        var written = (await Tables.ScanAllAsync(db.Client, booleans)).ToDictionary(i => i["id"].N);
        Assert.Equal((false, true), (written["1"]["level"].BOOL, written["2"]["level"].BOOL));
        Assert.True(asNumbers.ExitCode == 0, asNumbers.ToString());
        var exact = (await Tables.ScanAllAsync(db.Client, numbers)).ToDictionary(i => i["id"].N);
        Assert.Equal(["0", "1", "2", "-1"], new[] { "1", "2", "3", "4" }.Select(id => exact[id]["level"].N));
        Assert.Equal([true, false, true, false], new[] { "1", "2", "3", "4" }.Select(id => exact[id]["yes"].BOOL)); // BOOLEAN stays a boolean
    }

    [Fact]
    public async Task AKeyColumnOfAnotherTypeThanTheTablesKey_IsRefusedUpFront_NothingWrittenNorRejected()
    {
        var database = await mysql.Server.CreateDatabaseAsync("keytype");
        await mysql.Server.ExecuteAsync(database, $"""
            CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(40));
            INSERT INTO people SELECT seq, CONCAT('p', seq) FROM {MariaDbServer.Sequence(1, 2000)};
            """);
        var destination = await _tables.CreateAsync("mysql-keytype", hashKey: "id", hashType: "S");
        var rejects = Path.Combine(_folder, "keytype-rejects.jsonl");

        var result = await ImportAsync(database, null, "--sourceTableName", "people", "--destinationTable", destination, "--rejectFile", rejects);

        Assert.Equal(3, result.ExitCode);
        var error = DdbCopyCli.Summary(result).GetProperty("error").GetString()!;
        Assert.Contains("does not have the key of the table", error, StringComparison.Ordinal);
        Assert.Contains("must be a non-empty S", error, StringComparison.Ordinal);
        Assert.Equal(0, await Tables.CountAsync(db.Client, destination));
        Assert.False(File.Exists(rejects));
    }

    [Fact]
    public async Task MaskedImport_RejectedRows_LeaveNoOriginalValueInTheRejectFileOrTheLog()
    {
        var database = await mysql.Server.CreateDatabaseAsync("maskreject");
        await mysql.Server.ExecuteAsync(database, """
            CREATE TABLE people (id INT PRIMARY KEY, email VARCHAR(100), age VARCHAR(10));
            INSERT INTO people VALUES (41, 'alice.secret@realcorp.com', '31'), (42, 'bob.secret@realcorp.com', 'old-9876'), (43, '', '50');
            """);
        var destination = await _tables.CreateAsync("mysql-maskreject");
        var rejects = Path.Combine(_folder, "mask-rejects.jsonl");

        var result = await ImportAsync(database, MaskKey, "--sourceTableName", "people", "--destinationTable", destination, "--attribute", "pk=${email}",
            "--column", "age:N", "--mask", "pk,email,age,id", "--allowKeyChanges", "--rejectFile", rejects, "--verbose");

        Assert.Equal(4, result.ExitCode);
        Assert.Equal((1, 2), (DdbCopyCli.Summary(result).GetProperty("written").GetInt32(), DdbCopyCli.Summary(result).GetProperty("rejected").GetInt32()));
        var lines = (await File.ReadAllLinesAsync(rejects)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.False(l.TryGetProperty("text", out _), l.ToString())); // the row as read is never written
        Assert.Contains(lines, l => l.GetProperty("reason").GetString()!.Contains("is not a number", StringComparison.Ordinal));
        var everything = await File.ReadAllTextAsync(rejects) + result.StandardError + result.StandardOutput
            + string.Join("\n", (await Tables.ScanAllAsync(db.Client, destination)).Select(ItemFactory.Canonical));
        foreach (var original in new[] { "secret", "realcorp", "old-9876", "=42", "=43" })
        {
            Assert.DoesNotContain(original, everything, StringComparison.Ordinal);
        }

        Assert.DoesNotContain('\u0002', everything);
        Assert.DoesNotContain('\u0004', everything);
    }

    [Theory]
    [InlineData("mysql://app:Hunter2#x@127.0.0.1/db")]
    [InlineData("mysql://app:Hunter2@/db")]
    [InlineData("mysql://app:Hun/ter2@127.0.0.1/db")]
    public async Task APasswordInAUrlThatDoesNotParse_IsNeverPrinted(string url)
    {
        var result = await DdbCopyCli.RunAsync("import", "--from", url, "--sourceTableName", "t", "--destinationTable", "x",
            "--destinationEndpoint", db.Endpoint, "--output", "json");

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("Hunter2", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("ter2", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
