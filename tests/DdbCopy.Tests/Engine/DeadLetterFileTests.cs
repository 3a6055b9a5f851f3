using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Engine;

namespace DdbCopy.Tests.Engine;

public sealed class DeadLetterFileTests
{
    [Fact]
    public async Task Write_CreatesAnOwnerOnlyFileOfDynamoDbJsonLines()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dl-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using (var file = new DeadLetterFile(path))
            {
                Assert.False(File.Exists(path)); // Nothing to record, no file.
                await file.WriteAsync([Item("a"), Item("b")]);
                await file.WriteAsync([Item("c")]);
                Assert.Equal(3, file.Count);
            }

            var keys = File.ReadLines(path).Select(l => DynamoDbJson.ParseItemLine(l)["pk"].S);
            Assert.Equal(["a", "b", "c"], keys);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void DefaultPath_NamesTheTableAndTheUtcTime() =>
        Assert.Equal("ddbcopy-deadletter-orders-20261125T130405Z.jsonl",
            DeadLetterFile.DefaultPath("orders", new DateTimeOffset(2026, 11, 25, 14, 4, 5, TimeSpan.FromHours(1))));

    private static Dictionary<string, AttributeValue> Item(string key) => new() { ["pk"] = new AttributeValue { S = key } };
}
