using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.MySql;

/// <summary>
/// The README's worked MySQL migration, run as the README writes it (its shell block, through bash): only the database's
/// address and the DynamoDB endpoint are this machine's. An example that stops working fails here.
/// </summary>
[Collection(DynamoDbCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ReadmeMigrationTests(DynamoDbFixture db, MariaDbFixture mysql) : IClassFixture<MariaDbFixture>, IAsyncLifetime
{
    [Fact]
    public async Task TheWorkedMigrationBlock_RunsAsWritten_AndGivesOneItemPerOrder()
    {
        var database = await mysql.Server.CreateDatabaseAsync("shop");
        await mysql.Server.ExecuteAsync(database, """
            CREATE TABLE order_lines (order_id INT, line_no INT, customer_id INT, sku VARCHAR(20), qty INT, placed_at DATETIME, PRIMARY KEY (order_id, line_no));
            INSERT INTO order_lines VALUES (100, 1, 7, 'apple', 3, '2024-05-01 10:00:00'), (100, 2, 7, 'pear', 1, '2024-05-01 10:00:00'),
              (101, 1, 7, 'apple', 5, '2024-05-02 11:00:00'), (102, 1, 9, 'plum', 2, '2024-05-03 12:00:00');
            """);
        var block = ReadmeScript.Block("**A worked migration");
        Assert.Contains("--schemaFile orders-table.json", block, StringComparison.Ordinal);
        await DeleteOrdersAsync();
        using var script = new ReadmeScript();

        try
        {
            var result = await script.RunAsync(block, db.Endpoint, null,
                new Dictionary<string, string> { ["mysql://app@db.internal/shop"] = mysql.Server.Url(database) }, mysql.Environment);

            Assert.True(result.ExitCode == 0, result.ToString());
            var items = (await Tables.ScanAllAsync(db.Client, "Orders")).ToDictionary(i => i["sk"].S);
            Assert.Equal(3, items.Count); // SELECT COUNT(DISTINCT order_id)
            Assert.Equal(("CUSTOMER#7", "3", "1"), (items["ORDER#100"]["pk"].S, items["ORDER#100"]["apple"].N, items["ORDER#100"]["pear"].N));
            Assert.Equal("CUSTOMER#9", items["ORDER#102"]["pk"].S);
            Assert.False(items["ORDER#100"].ContainsKey("line_no"));
        }
        finally
        {
            await DeleteOrdersAsync();
        }
    }

    [Fact]
    public async Task TheTableAndQueryImports_AndTheFollowWithSoftDeletes_RunAsWritten()
    {
        var database = await mysql.Server.CreateDatabaseAsync("shop");
        await mysql.Server.ExecuteAsync(database, $"""
            CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40), is_deleted BOOLEAN NOT NULL DEFAULT 0,
              updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6));
            INSERT INTO customers (id, name) SELECT seq, CONCAT('customer-', seq) FROM {MariaDbServer.Sequence(1, 500)};
            UPDATE customers SET is_deleted = 1 WHERE id % 50 = 0;
            CREATE TABLE orders (id INT PRIMARY KEY, created_at DATE, total DECIMAL(10,2));
            INSERT INTO orders SELECT seq, DATE_ADD('2023-12-01', INTERVAL seq DAY), seq * 1.5 FROM {MariaDbServer.Sequence(1, 100)};
            """);
        await DeleteOrdersAsync();
        await DeleteAsync("Customers");
        await Tables.CreateAsync(db.Client, "Customers", hashKey: "id", hashType: "N");
        await Tables.CreateAsync(db.Client, "Orders", hashKey: "id", hashType: "N");
        using var script = new ReadmeScript();
        var url = mysql.Server.Url(database);
        var replacements = new Dictionary<string, string>
        {
            ["'...'"] = "'" + mysql.Server.Password + "'",
            ["'mysql://app@db.internal/shop?sslMode=VerifyFull&sslCa=/etc/ssl/rds.pem'"] = url, // the test server speaks no TLS
            ["mysql://app@db.internal:3306/shop"] = url,
            ["mysql://app@db.internal/shop"] = url,
        };

        try
        {
            var loaded = await script.RunAsync(ReadmeScript.Block("## Import from MySQL or MariaDB"), db.Endpoint, null, replacements);
            var followed = await script.RunAsync(ReadmeScript.Block("**Ongoing changes and a near-zero-downtime cutover**"), db.Endpoint, null, replacements,
                mysql.Environment);

            Assert.True(loaded.ExitCode == 0, loaded.ToString());
            Assert.Equal(70, await Tables.CountAsync(db.Client, "Orders")); // created_at from 2024-01-01 on: days 31 to 100
            Assert.True(followed.ExitCode == 0, followed.ToString());
            Assert.Equal(490, await Tables.CountAsync(db.Client, "Customers")); // the soft-deleted rows are not there
        }
        finally
        {
            await DeleteOrdersAsync();
            await DeleteAsync("Customers");
        }
    }

    private Task DeleteOrdersAsync() => DeleteAsync("Orders");

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

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Task.CompletedTask;
}
