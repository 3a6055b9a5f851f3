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
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-readme-").FullName;

    [Fact]
    public async Task TheWorkedMigrationBlock_RunsAsWritten_AndGivesOneItemPerOrder()
    {
        var database = await mysql.Server.CreateDatabaseAsync("shop");
        await mysql.Server.ExecuteAsync(database, """
            CREATE TABLE order_lines (order_id INT, line_no INT, customer_id INT, sku VARCHAR(20), qty INT, placed_at DATETIME, PRIMARY KEY (order_id, line_no));
            INSERT INTO order_lines VALUES (100, 1, 7, 'apple', 3, '2024-05-01 10:00:00'), (100, 2, 7, 'pear', 1, '2024-05-01 10:00:00'),
              (101, 1, 7, 'apple', 5, '2024-05-02 11:00:00'), (102, 1, 9, 'plum', 2, '2024-05-03 12:00:00');
            """);
        var block = ReadmeBlock("**A worked migration");
        Assert.Contains("--schemaFile orders-table.json", block, StringComparison.Ordinal);
        var script = block.Replace("mysql://app@db.internal/shop", mysql.Server.Url(database), StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(_folder, "migration.sh"), "set -euo pipefail\n" + script);
        var shim = Path.Combine(_folder, "bin");
        Directory.CreateDirectory(shim);
        var (file, arguments) = DdbCopyCli.Command([]);
        await File.WriteAllTextAsync(Path.Combine(shim, "ddbcopy"),
            $"#!/usr/bin/env bash\nexec {Quote(file)} {string.Join(" ", arguments.Select(Quote))} \"$@\" --destinationEndpoint {db.Endpoint}\n");
        File.SetUnixFileMode(Path.Combine(shim, "ddbcopy"), (UnixFileMode)0x1C0); // 0700
        await DeleteOrdersAsync();

        try
        {
            var result = await ProcessRunner.RunAsync("bash", [Path.Combine(_folder, "migration.sh")], TimeSpan.FromMinutes(3), _folder,
                new Dictionary<string, string>(DdbCopyCli.Environment.Concat(mysql.Environment))
                {
                    ["PATH"] = shim + ":" + Environment.GetEnvironmentVariable("PATH"),
                });

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

    /// <summary>The first ```bash block after the line that starts with <paramref name="heading"/>.</summary>
    private static string ReadmeBlock(string heading)
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "README.md"));
        var at = Array.FindIndex(lines, l => l.StartsWith(heading, StringComparison.Ordinal));
        Assert.True(at >= 0, $"README.md has no line starting with {heading}");
        var start = Array.FindIndex(lines, at, l => l.Trim() == "```bash") + 1;
        var end = Array.FindIndex(lines, start, l => l.Trim() == "```");
        return string.Join("\n", lines[start..end]) + "\n";
    }

    private async Task DeleteOrdersAsync()
    {
        try
        {
            await db.Client.DeleteTableAsync("Orders");
        }
        catch (Amazon.DynamoDBv2.Model.ResourceNotFoundException)
        {
        }
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
