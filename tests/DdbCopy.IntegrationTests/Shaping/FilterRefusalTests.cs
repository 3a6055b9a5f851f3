using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Shaping;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Shaping;

/// <summary>
/// A filter is refused before anything changes, and the import's own evaluator refuses what DynamoDB refuses: every
/// expression here is put to DynamoDB Local (a Scan) and to the evaluator, and the two must agree; then through the CLI,
/// --recreateDestination never deletes a table for a filter that is refused, and a dry run reports the same error.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class FilterRefusalTests(DynamoDbFixture db) : IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);

    public static TheoryData<string, string?, string?> Expressions => new()
    {
        { "status = :s", null, """{":s":{"S":"x"}}""" },
        { "#s = :s", """{"#s":"status"}""", """{":s":{"S":"x"}}""" },
        { "attribute_exists(data)", null, null },
        { "n BETWEEN :hi AND :lo", null, """{":hi":{"N":"9"},":lo":{"N":"1"}}""" },
        { "n BETWEEN :lo AND :hi", null, """{":hi":{"N":"9"},":lo":{"N":"1"}}""" },
        { "n BETWEEN :lo AND :lo", null, """{":lo":{"N":"1"}}""" },
        { "n BETWEEN :lo AND :w", null, """{":lo":{"N":"1"},":w":{"S":"x"}}""" },
        { "n BETWEEN :t AND :f", null, """{":t":{"BOOL":true},":f":{"BOOL":false}}""" },
        { "n < :t", null, """{":t":{"BOOL":true}}""" },
        { "n = :t", null, """{":t":{"BOOL":true}}""" },
        { "n = n", null, null },
        { "n = #n", """{"#n":"n"}""", null },
        { "n IN (:a, :b)", null, """{":a":{"N":"1"},":b":{"S":"x"}}""" },
        { "attribute_type(n, :t)", null, """{":t":{"S":"ZZ"}}""" },
        { "attribute_type(n, :t)", null, """{":t":{"S":"NS"}}""" },
        { "begins_with(pk, :p)", null, """{":p":{"N":"1"}}""" },
        { "begins_with(pk, :p)", null, """{":p":{"S":"p"}}""" },
        { "nosuch(n)", null, null },
        { "size(n) > :lo AND NOT contains(tags, :s)", null, """{":lo":{"N":"1"},":s":{"S":"x"}}""" },
        { "a.b[2].c = :s OR attribute_not_exists(q)", null, """{":s":{"S":"x"}}""" },
        { "n = :t", null, """{":t":{"N":"1E125"}}""" },
        { "n = :t", null, """{":t":{"N":"1E126"}}""" },
        { "n = :t", null, """{":t":{"N":"1E-131"}}""" },
        { "n = :t", null, """{":t":{"N":"999999999999999999999999999999999999991"}}""" },
        { "contains(n, :t)", null, """{":t":{"NS":["1","1E200"]}}""" },
        { Path(32) + " = :t", null, """{":t":{"N":"1"}}""" },
        { Path(33) + " = :t", null, """{":t":{"N":"1"}}""" },
        { Path(31) + "[0][1] = :t", null, """{":t":{"N":"1"}}""" },
        { In(99), null, Values(99) },
        { In(100), null, Values(100) },
    };

    private static string Path(int levels) => string.Join(".", Enumerable.Range(0, levels).Select(i => $"a{i}"));

    private static string In(int values) => $"n IN ({string.Join(", ", Enumerable.Range(0, values).Select(i => $":v{i}"))})";

    private static string Values(int values) => "{" + string.Join(",", Enumerable.Range(0, values).Select(i => $"\":v{i}\":{{\"N\":\"{i}\"}}")) + "}";

    [Theory]
    [MemberData(nameof(Expressions))]
    public async Task TheImportsEvaluator_RefusesExactlyWhatDynamoDbRefuses(string expression, string? names, string? values)
    {
        var table = await _tables.CreateAsync("filter-agree");
        var nameMap = names is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(names);
        var valueMap = values is null ? null : DynamoDbJson.ParseItemLine($"{{\"Item\":{values}}}");

        string? dynamoDb = null;
        try
        {
            await db.Client.ScanAsync(new ScanRequest
            {
                TableName = table, Limit = 1, FilterExpression = expression, ExpressionAttributeNames = nameMap, ExpressionAttributeValues = valueMap,
            });
        }
        catch (AmazonDynamoDBException ex) when (ex.ErrorCode == "ValidationException")
        {
            dynamoDb = ex.Message;
        }

        string? local = null;
        try
        {
            FilterExpression.Parse(expression, nameMap, valueMap);
        }
        catch (FormatException ex)
        {
            local = ex.Message;
        }

        Assert.True((dynamoDb is null) == (local is null), $"DynamoDB: {dynamoDb ?? "takes it"}; ddbcopy: {local ?? "takes it"}");
    }

    [Fact]
    public async Task RecreateWithARefusedFilter_DeletesNothing_AndADryRunSaysTheSame()
    {
        var source = await _tables.CreateAsync("filter-recreate-src");
        await Tables.PutAllAsync(db.Client, source, ItemFactory.Many(50));
        var destination = await _tables.CreateAsync("filter-recreate-dst");
        await Tables.PutAllAsync(db.Client, destination, ItemFactory.Many(7));
        string[] typeName = ["--filterExpression", "n BETWEEN :hi AND :lo", "--expressionAttributeValues", """{":hi":{"N":"9"},":lo":{"N":"1"}}"""];
        string[] reserved = ["--filterExpression", "status = :s", "--expressionAttributeValues", """{":s":{"S":"x"}}"""];
        string[] copy = ["--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
            "--recreateDestination", "--yes", "--output", "json"];

        var refused = await DdbCopyCli.RunAsync([.. copy, .. typeName]);
        var planned = await DdbCopyCli.RunAsync([.. copy, .. typeName, "--dryRun"]);
        var reservedRun = await DdbCopyCli.RunAsync([.. copy, .. reserved]);
        var reservedPlan = await DdbCopyCli.RunAsync([.. copy, .. reserved, "--dryRun"]);

        foreach (var result in new[] { refused, planned, reservedRun, reservedPlan })
        {
            Assert.True(result.ExitCode == 2, result.ToString());
        }

        Assert.Contains("lower bound is greater than its upper bound", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("lower bound is greater than its upper bound", planned.StandardError, StringComparison.Ordinal);
        Assert.Contains("reserved word", reservedRun.StandardError, StringComparison.Ordinal);
        Assert.Contains("reserved word", reservedPlan.StandardError, StringComparison.Ordinal);
        Assert.Equal(7, await Tables.CountAsync(db.Client, destination)); // never deleted, never recreated
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _tables.DisposeAsync().AsTask();
}
