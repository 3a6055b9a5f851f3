using System.Text;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Shaping;

namespace DdbCopy.Tests.Shaping;

public sealed class ItemMaskerTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("a key of thirty-two bytes, fixed");
    private static readonly byte[] OtherKey = Encoding.UTF8.GetBytes("another key of 32 bytes, fixed!!");

    private static Dictionary<string, AttributeValue> Person() => new()
    {
        ["pk"] = new AttributeValue { S = "p1" },
        ["email"] = new AttributeValue { S = "jane.doe@corp.example.com" },
        ["phone"] = new AttributeValue { S = "+1 (555) 010-4477" },
        ["salary"] = new AttributeValue { N = "-98765.43" },
        ["name"] = new AttributeValue { S = "Jane Doe" },
        ["address"] = new AttributeValue { M = new() { ["street"] = new AttributeValue { S = "12 Elm Street" }, ["city"] = new AttributeValue { S = "Oslo" } } },
        ["aliases"] = new AttributeValue { SS = ["jd", "janed"] },
        ["contacts"] = new AttributeValue { L = [new AttributeValue { M = new() { ["email"] = new AttributeValue { S = "bob@corp.example.com" } } }] },
        ["photo"] = new AttributeValue { B = new MemoryStream([1, 2, 3, 4]) },
        ["vip"] = new AttributeValue { BOOL = true },
    };

    private static ItemMasker Masker(byte[] key) =>
        new(key, new[] { "email", "phone", "salary", "name", "address.street", "aliases", "contacts.email", "photo", "vip" }.Select(p => AttributePath.Parse(p)).ToList());

    private static Dictionary<string, AttributeValue> Masked(byte[] key)
    {
        var item = Person();
        Masker(key).Mask(item);
        return item;
    }

    [Fact]
    public void Mask_IsDeterministicForAKeyAndDiffersWithAnother()
    {
        Assert.Equal(DynamoDbJson.ToJsonLine(Masked(Key)), DynamoDbJson.ToJsonLine(Masked(Key)));
        Assert.NotEqual(DynamoDbJson.ToJsonLine(Masked(Key)), DynamoDbJson.ToJsonLine(Masked(OtherKey)));
    }

    [Fact]
    public void Mask_KeepsFormats()
    {
        var item = Masked(Key);

        Assert.Matches("^u_([0-9a-f]{2}){25}@example\\.invalid$", item["email"].S); // one byte of hex per byte of the address
        Assert.Matches(@"^\+\d \(\d{3}\) \d{3}-\d{4}$", item["phone"].S);
        Assert.Matches(@"^-[1-9]\d{4}\.\d{2}$", item["salary"].N);
        Assert.Matches("^[A-Z][a-z]{3} [A-Z][a-z]{2}$", item["name"].S);
        Assert.Matches("^[0-9]{2} [A-Z][a-z]{2} [A-Z][a-z]{5}$", item["address"].M["street"].S);
        Assert.Equal("Oslo", item["address"].M["city"].S); // not named: kept
        Assert.Equal(4, item["photo"].B.Length);
        Assert.True(item["vip"].BOOL); // booleans carry no identity
        Assert.Equal("p1", item["pk"].S);
    }

    [Fact]
    public void Mask_GivesEveryValueOfAFormatItsOwnStandIn_SoMaskedKeysNeverCollide()
    {
        var masker = new ItemMasker(Key, []);
        var strings = Enumerable.Range(0, 10_000).Select(i => masker.MaskValue(new AttributeValue { S = i.ToString("0000", System.Globalization.CultureInfo.InvariantCulture) }).S).ToList();
        var numbers = Enumerable.Range(-5_000, 10_001).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Concat(Enumerable.Range(1, 2_000).Where(i => i % 100 != 0).Select(i => (i / 100.0m).ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Select(n => masker.MaskValue(new AttributeValue { N = n }).N).ToList();
        var bytes = Enumerable.Range(0, 256).Select(b => Convert.ToBase64String(masker.MaskValue(new AttributeValue { B = new MemoryStream([(byte)b]) }).B.ToArray())).ToList();
        var emails = Enumerable.Range(0, 2_000).Select(i => masker.MaskValue(new AttributeValue { S = $"user{i}@example.com" }).S).ToList();
        var accented = new[] { "é", "ü", "ø", "😀", "😁", "Ω" }.Select(t => masker.MaskValue(new AttributeValue { S = t }).S).ToList();

        Assert.Equal(strings.Count, strings.Distinct(StringComparer.Ordinal).Count());
        Assert.All(strings, s => Assert.Matches("^[0-9]{4}$", s));
        // Numbers are compared as DynamoDB compares them: 1.50 and 1.5 are one number.
        Assert.Equal(numbers.Count, numbers.Select(Core.Items.CanonicalItem.Number).Distinct(StringComparer.Ordinal).Count());
        Assert.All(numbers.Zip(Enumerable.Range(-5_000, 10_001)), p => Assert.Equal(p.Second < 0, p.First.StartsWith('-')));
        Assert.Equal(256, bytes.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(emails.Count, emails.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(accented.Count, accented.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal([1, 1, 1, 2, 2, 1], accented.Select(a => a.Length)); // a character of another plane stays one of another plane
    }

    [Theory]
    [InlineData("1.50", "1.5")]
    [InlineData("0120", "120")]
    [InlineData("1E+3", "1000")]
    public void Mask_OfOneNumberWrittenTwoWays_IsOneStandIn(string one, string other)
    {
        var masker = new ItemMasker(Key, []);

        Assert.Equal(masker.MaskValue(new AttributeValue { N = one }).N, masker.MaskValue(new AttributeValue { N = other }).N);
    }

    [Fact]
    public void Mask_LeavesNoOriginalValue()
    {
        var text = DynamoDbJson.ToJsonLine(Masked(Key));

        foreach (var original in new[] { "jane", "Jane", "doe", "corp", "555", "4477", "98765", "Elm", "janed", "\"jd\"", "bob", "AQIDBA==" })
        {
            Assert.DoesNotContain(original, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Mask_SameValueAnywhere_GivesTheSameStandIn()
    {
        // Joins survive: an address in two attributes (or two tables) masks the same way.
        var masker = new ItemMasker(Key, [AttributePath.Parse("a"), AttributePath.Parse("b.c")]);
        var item = new Dictionary<string, AttributeValue>
        {
            ["a"] = new AttributeValue { S = "x@y.org" },
            ["b"] = new AttributeValue { M = new() { ["c"] = new AttributeValue { S = "x@y.org" } } },
        };

        masker.Mask(item);

        Assert.Equal(item["a"].S, item["b"].M["c"].S);
        Assert.NotEqual("x@y.org", item["a"].S);
    }

    [Fact]
    public void KeyFingerprint_NamesTheKeyWithoutRevealingIt()
    {
        var fingerprint = new ItemMasker(Key, []).KeyFingerprint;

        Assert.Equal(16, fingerprint.Length);
        Assert.NotEqual(fingerprint, new ItemMasker(OtherKey, []).KeyFingerprint);
        Assert.DoesNotContain(Convert.ToHexStringLower(Key)[..8], fingerprint, StringComparison.Ordinal);
    }
}
