using System.Text;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Items;
using DdbCopy.Core.Jobs.Verifying;

namespace DdbCopy.Tests.Verifying;

/// <summary>Two spills compared bucket by bucket, in memory or split again when a bucket is too large.</summary>
public sealed class SpillComparerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-spill-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Dictionary<string, AttributeValue> Item(int i, string value) => new()
    {
        ["pk"] = new AttributeValue { S = $"k{i}" },
        ["v"] = new AttributeValue { S = value },
    };

    private void Spill(string side, IEnumerable<Dictionary<string, AttributeValue>> items)
    {
        using var spill = new FingerprintSpill(_folder, side);
        foreach (var item in items)
        {
            spill.Add(CanonicalItem.KeyHash(item, ["pk"]), CanonicalItem.Hash(item), FingerprintSink.KeyJson(item, ["pk"]));
        }
    }

    [Theory]
    [InlineData(SpillComparer.InMemoryBytes)]
    [InlineData(2_000L)] // every bucket split again, some twice
    public void Compare_FindsWhatIsMissingDifferentAndExtra_AndNothingElse(long inMemoryBytes)
    {
        Spill("a", Enumerable.Range(0, 20_000).Select(i => Item(i, "same")));
        Spill("b", Enumerable.Range(0, 20_000).Where(i => i != 17 && i != 4_711).Select(i => Item(i, i == 999 ? "changed" : "same"))
            .Append(Item(123_456, "extra")));
        var found = new List<(Difference Kind, string Key)>();

        var compared = SpillComparer.Compare(_folder, "a", "b", (kind, key) => found.Add((kind, Encoding.UTF8.GetString(key))), inMemoryBytes);

        Assert.Equal(20_000, compared);
        Assert.Equal(
            [(Difference.Missing, """{"pk":{"S":"k17"}}"""), (Difference.Missing, """{"pk":{"S":"k4711"}}"""),
             (Difference.Different, """{"pk":{"S":"k999"}}"""), (Difference.Extra, """{"pk":{"S":"k123456"}}""")],
            found.OrderBy(f => f.Kind).ThenBy(f => f.Key, StringComparer.Ordinal));
        Assert.Equal(128, Directory.GetFiles(_folder).Length); // the split files are gone
    }

    [Fact]
    public void Compare_OfEqualSides_FindsNothing()
    {
        Spill("a", Enumerable.Range(0, 1_000).Select(i => Item(i, "x")));
        Spill("b", Enumerable.Range(0, 1_000).Reverse().Select(i => Item(i, "x")));

        var found = 0;
        SpillComparer.Compare(_folder, "a", "b", (_, _) => found++);

        Assert.Equal(0, found);
    }
}
