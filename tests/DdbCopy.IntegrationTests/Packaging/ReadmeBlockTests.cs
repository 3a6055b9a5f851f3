using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Packaging;

/// <summary>
/// The README's shell blocks that need nothing but DynamoDB (and S3) run as written, against the test's DynamoDB Local
/// and S3 server: the shaping recipes and the table definitions. (The MySQL migration runs in the MySQL tests; every
/// ddbcopy command of every block is parsed and validated by the unit tests.)
/// </summary>
[Collection(DynamoDbCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ReadmeBlockTests(DynamoDbFixture db, S3Fixture s3) : IClassFixture<S3Fixture>, IAsyncLifetime
{
    private static readonly string[] TableNames =
        ["orders", "orders-staging", "orders-copy", "orders-acme", "orders-v2", "orders-restore", "orders-eu", "users", "users-staging", "events", "sessions", "sessions-copy", "Orders", "OrdersStaging"];

    private async Task DeleteTablesAsync()
    {
        foreach (var name in TableNames)
        {
            try
            {
                await db.Client.DeleteTableAsync(name);
            }
            catch (ResourceNotFoundException)
            {
            }
        }
    }

    /// <summary>The tables the README's examples name, with items of the shape they use.</summary>
    private async Task CreateTablesAsync(params string[] names)
    {
        foreach (var name in names)
        {
            await Tables.CreateAsync(db.Client, name, rangeKey: name.StartsWith("orders", StringComparison.Ordinal) ? "sk" : null, readUnits: 1000, writeUnits: 1000);
        }

        await Tables.PutAllAsync(db.Client, "orders", Enumerable.Range(0, 60).Select(i => new Dictionary<string, AttributeValue>
        {
            ["pk"] = new() { S = $"ORDER#{i:000}" },
            ["sk"] = new() { S = "v1" },
            ["tenantId"] = new() { S = i % 3 == 0 ? "acme" : "other" },
            ["legacyStatus"] = new() { S = "shipped" },
            ["lines"] = new() { L = [new() { M = new() { ["sku"] = new() { S = "apple" }, ["qty"] = new() { N = "2" } } }, new() { M = new() { ["sku"] = new() { S = $"pear{i}" }, ["qty"] = new() { N = "1" } } }] },
        }));
        if (names.Contains("users"))
        {
            await Tables.PutAllAsync(db.Client, "users", Enumerable.Range(0, 40).Select(i => new Dictionary<string, AttributeValue>
            {
                ["pk"] = new() { S = $"user-{i}" },
                ["email"] = new() { S = $"person{i}@realcorp.com" },
                ["phone"] = new() { S = $"+44 20 7946 {i:0000}" },
                ["address"] = new() { M = new() { ["street"] = new() { S = $"{i} Privet Drive" } } },
                ["contacts"] = new() { L = [new() { M = new() { ["email"] = new() { S = $"friend{i}@realcorp.com" } } }] },
                ["audit"] = new() { S = "x" },
                ["loginHistory"] = new() { SS = ["2024-01-01"] },
            }));
            await Tables.PutAllAsync(db.Client, "events", Enumerable.Range(0, 30).Select(i => new Dictionary<string, AttributeValue>
            {
                ["pk"] = new() { S = $"event-{i}" },
                ["createdAt"] = new() { S = DateTime.UtcNow.AddDays(-i * 7).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) },
            }));
        }
    }

    [Fact]
    public async Task TheShapingRecipes_RunAsWritten()
    {
        await CreateTablesAsync("orders", "orders-acme", "orders-v2", "users", "users-staging", "events");
        using var script = new ReadmeScript();
        var key = Path.Combine(script.Folder, "staging-mask.key");
        await File.WriteAllTextAsync(key, "a staging mask key of 32 bytes!!");
        using var s3Client = s3.CreateClient();
        await s3Client.PutBucketAsync("backups");

        var result = await script.RunAsync(ReadmeScript.Block("## Copy a subset, reshape it, mask it"), db.Endpoint, s3.Endpoint,
            new Dictionary<string, string> { ["/secure/staging-mask.key"] = key });

        Assert.True(result.ExitCode == 0, result.ToString());
        var staged = await Tables.ScanAllAsync(db.Client, "users-staging");
        Assert.Equal(40, staged.Count);
        Assert.All(staged, u => Assert.EndsWith("@example.invalid", u["email"].S, StringComparison.Ordinal));
        Assert.All(staged, u => Assert.False(u.ContainsKey("audit")));
        Assert.Equal(20, await Tables.CountAsync(db.Client, "orders-acme"));
        Assert.All(await Tables.ScanAllAsync(db.Client, "orders-acme"), o => Assert.Equal("shipped", o["status"].S));
        Assert.Equal(60 * 3, await Tables.CountAsync(db.Client, "orders-v2")); // a header and two lines per order
        var exported = await s3Client.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = "backups", Prefix = "events-last-90-days/" });
        Assert.Contains(exported.S3Objects, o => o.Key.EndsWith("manifest-summary.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheTableDefinitionCommands_RunAsWritten()
    {
        await CreateTablesAsync("orders");
        using var script = new ReadmeScript();

        var result = await script.RunAsync(ReadmeScript.Block("## Table definitions: create, recreate, diff, boost"), db.Endpoint, null,
            new Dictionary<string, string>());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(60, await Tables.CountAsync(db.Client, "orders-staging"));
        Assert.Equal(60, await Tables.CountAsync(db.Client, "orders-copy"));
        Assert.Contains("\"tableName\": \"orders\"", await File.ReadAllTextAsync(Path.Combine(script.Folder, "orders.json")), StringComparison.Ordinal);
        Assert.Equal(1000, (await db.Client.DescribeTableAsync("orders-staging")).Table.ProvisionedThroughput.WriteCapacityUnits); // the boost restored
    }

    [Fact]
    public async Task TheExportAndImportCommands_RunAsWritten()
    {
        await CreateTablesAsync("orders");
        using var script = new ReadmeScript();
        using var s3Client = s3.CreateClient();
        await s3Client.PutBucketAsync("my-bucket");
        await s3Client.PutBucketAsync("exports-bucket");
        // What the block expects to find: an export in AWS's layout on S3, a dead-letter file, a CSV of order lines.
        var exported = await DdbCopyCli.RunAsync("export", "--sourceEndpoint", db.Endpoint, "--sourceTable", "orders", "--s3Endpoint", s3.Endpoint,
            "--to", "s3://exports-bucket/prod/AWSDynamoDB/01700000000000-a1b2c3d4");
        Assert.True(exported.ExitCode == 0, exported.ToString());
        await File.WriteAllTextAsync(Path.Combine(script.Folder, "ddbcopy-deadletter-orders-20261125T120000Z.jsonl"),
            """{"Item":{"pk":{"S":"ORDER#dead"},"sk":{"S":"v1"}}}""" + "\n");
        await File.WriteAllTextAsync(Path.Combine(script.Folder, "order_lines.csv"),
            "customerid,orderid,productid,quantity\n7,100,apple,3\n7,100,pear,1\n7,101,apple,5\n9,102,plum,2\n");

        var result = await script.RunAsync(ReadmeScript.Block("## Export and import: folders, S3, CSV"), db.Endpoint, s3.Endpoint,
            new Dictionary<string, string>());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(60, await Tables.CountAsync(db.Client, "orders-restore"));
        Assert.True(File.Exists(Path.Combine(script.Folder, "orders-backup", "manifest-summary.json")));
        var orders = (await Tables.ScanAllAsync(db.Client, "orders")).ToDictionary(i => i["pk"].S + "|" + i["sk"].S);
        Assert.True(orders.ContainsKey("ORDER#dead|v1"));
        Assert.Equal(("3", "1"), (orders["CUSTOMER#7|ORDER#100"]["apple"].N, orders["CUSTOMER#7|ORDER#100"]["pear"].N));
    }

    [Fact]
    public async Task TheUsageExamples_RunAsWritten_WithTheSecondRegionOnASecondDynamoDb()
    {
        await CreateTablesAsync("orders", "orders-staging", "sessions", "sessions-copy");
        await Tables.PutAllAsync(db.Client, "sessions", ItemFactory.Many(300));
        await using var other = await DynamoDbLocalServer.StartAsync("-Xmx256m");
        using var otherClient = other.CreateClient();
        await Tables.CreateAsync(otherClient, "orders", rangeKey: "sk");
        using var script = new ReadmeScript();

        var result = await script.RunAsync(ReadmeScript.Block("## Usage"), db.Endpoint, null, new Dictionary<string, string>
        {
            ["dynamodb.eu-west-1.amazonaws.com"] = db.Endpoint,
            ["dynamodb.us-east-1.amazonaws.com"] = other.Url,
            ["http://localhost:8000"] = db.Endpoint,
        });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(60, await Tables.CountAsync(db.Client, "orders-staging"));
        Assert.Equal(60, await Tables.CountAsync(otherClient, "orders"));
        Assert.Equal(300, await Tables.CountAsync(db.Client, "sessions-copy"));
    }

    [Fact]
    public async Task TheFollowExamples_RunAsWritten_EachFollowerStoppingOnceCaughtUp()
    {
        await CreateTablesAsync("orders", "orders-eu", "orders-staging");
        await db.Client.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = "orders", StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_AND_OLD_IMAGES },
        });
        using var script = new ReadmeScript();

        var result = await script.RunAsync(ReadmeScript.Block("## Follow the source"), db.Endpoint, null, new Dictionary<string, string>());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(60, await Tables.CountAsync(db.Client, "orders-eu"));
        Assert.Equal(60, await Tables.CountAsync(db.Client, "orders-staging"));
    }

    [Fact]
    public async Task TheVerifyExamples_RunAsWritten()
    {
        await Tables.CreateAsync(db.Client, "Orders", readUnits: 1000, writeUnits: 1000);
        await Tables.CreateAsync(db.Client, "OrdersStaging", readUnits: 1000, writeUnits: 1000);
        await Tables.PutAllAsync(db.Client, "Orders", ItemFactory.Many(80, bytes: 300));
        await Tables.PutAllAsync(db.Client, "OrdersStaging", ItemFactory.Many(80, bytes: 300));
        using var script = new ReadmeScript();
        using var s3Client = s3.CreateClient();
        await s3Client.PutBucketAsync("backups");
        // What the block compares a table with: an export of it where the example names one.
        var exported = await DdbCopyCli.RunAsync("export", "--sourceEndpoint", db.Endpoint, "--sourceTable", "Orders", "--s3Endpoint", s3.Endpoint,
            "--to", "s3://backups/orders/2026-11-25");
        Assert.True(exported.ExitCode == 0, exported.ToString());

        var result = await script.RunAsync(ReadmeScript.Block("## Verify and repair"), db.Endpoint, s3.Endpoint, new Dictionary<string, string>());

        Assert.True(result.ExitCode == 0, result.ToString()); // equal tables, an export equal to its table, nothing to repair
        Assert.Equal(80, await Tables.CountAsync(db.Client, "OrdersStaging"));
    }

    public Task InitializeAsync() => DeleteTablesAsync();

    public Task DisposeAsync() => DeleteTablesAsync();
}
