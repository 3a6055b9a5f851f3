using DdbCopy.Core.Aws;
using DdbCopy.Core.Sources.Files;
using DdbCopy.Core.Sources;

namespace DdbCopy.Tests.Importing;

public sealed class CsvItemReaderTests
{
    private static CsvMapping Orders() => new()
    {
        ColumnTypes = new Dictionary<string, string> { ["quantity"] = "N" },
        Attributes = [Template("pk=C#${customerid}"), Template("sk=O#${orderid}"), Template("total:N=${orderid}")],
        ExcludeColumns = new HashSet<string> { "customerid", "orderid" },
        GroupBy = ["pk", "sk"],
        Pivot = ("productid", "quantity"),
    };

    private static AttributeTemplate Template(string text) => AttributeTemplate.TryParse(text, out var error) ?? throw new InvalidOperationException(error);

    private static async Task<List<InputRecord>> ReadAsync(CsvMapping mapping, string csv)
    {
        var records = new List<InputRecord>();
        await foreach (var record in new CsvItemReader(mapping, "test.csv").ReadAsync(new StringReader(csv), default))
        {
            records.Add(record);
        }

        return records;
    }

    [Fact]
    public async Task Read_GroupsConsecutiveRowsAndPivotsEachRowIntoAnAttribute()
    {
        var records = await ReadAsync(Orders(), "customerid,orderid,productid,quantity,note\n1,10,apple,3,x\n1,10,pear,2,x\n2,20,fig,1,\n");

        Assert.Equal(2, records.Count);
        var first = records[0].Item!;
        Assert.Equal(2, records[0].Line);
        Assert.Equal("C#1", first["pk"].S);
        Assert.Equal("O#10", first["sk"].S);
        Assert.Equal("10", first["total"].N);
        Assert.Equal("3", first["apple"].N);
        Assert.Equal("2", first["pear"].N);
        Assert.Equal("x", first["note"].S);
        Assert.Equal(["apple", "note", "pear", "pk", "sk", "total"], first.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["fig", "pk", "sk", "total"], records[1].Item!.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Read_WhenAGroupComesBackAfterAnother_RejectsItsRowsInsteadOfOverwritingTheItem()
    {
        var records = await ReadAsync(Orders(), "customerid,orderid,productid,quantity\n1,10,apple,3\n2,20,fig,1\n1,10,pear,2\n");

        Assert.Equal(3, records.Count);
        var rejected = Assert.Single(records, r => r.Error is not null);
        Assert.Equal(4, rejected.Line);
        Assert.Contains("sort the file by those attributes", rejected.Error, StringComparison.Ordinal);
        Assert.Equal("1,10,pear,2", rejected.Text);
    }

    [Theory]
    [InlineData("1,10,apple,three", "column 'quantity': 'three' is not a number")]
    [InlineData(",10,apple,3", "column 'customerid' is empty, and attribute 'pk' is made from it")]
    [InlineData("1,10,,3", "column 'productid' (the pivot's attribute name) is empty")]
    [InlineData("1,10,apple", "has 3 fields, the header has 4")]
    public async Task Read_ABadRow_IsRejectedWithItsReason(string row, string expected)
    {
        var records = await ReadAsync(Orders(), $"customerid,orderid,productid,quantity\n{row}\n2,20,fig,1\n");

        Assert.Equal(expected, DdbCopy.Core.Items.RecordText.Show(records[0].Error!)); // values are marked in the message, shown or withheld by whoever prints it
        Assert.Equal(2, records[0].Line);
        Assert.NotNull(records[1].Item);
    }

    [Fact]
    public async Task Read_QuotedFieldsAndOtherDelimiters_AreUnderstood()
    {
        var mapping = new CsvMapping { Attributes = [Template("pk=${id}")], Delimiter = ";", ColumnTypes = new Dictionary<string, string> { ["ok"] = "BOOL" } };

        var records = await ReadAsync(mapping, "id;text;ok\n1;\"a;b \"\"quoted\"\"\nnext line\";true\n2;plain;false\n");

        Assert.Equal("a;b \"quoted\"\nnext line", records[0].Item!["text"].S);
        Assert.True(records[0].Item!["ok"].BOOL);
        Assert.Equal(2, records[0].Line);
        Assert.Equal(4, records[1].Line);
        Assert.False(records[1].Item!["ok"].BOOL);
    }

    [Fact]
    public async Task CheckHeader_WhenTheMappingNamesAMissingColumn_IsAUsageError()
    {
        var error = await Assert.ThrowsAsync<DdbCopyException>(() =>
            new CsvItemReader(Orders(), "orders.csv").CheckHeaderAsync(new StringReader("customerid,orderid,quantity\n1,2,3\n")));

        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains("no column 'productid' (named by --pivot)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pk=${a}|${b}", "pk", "S", "x|y")]
    [InlineData("n:N=${a}${b}", "n", "N", "xy")]
    [InlineData("pk = USER#${a} ", "pk", "S", " USER#x ")]
    public void Template_ParsesNameTypeAndRendersColumns(string text, string name, string type, string rendered)
    {
        var template = Template(text);

        Assert.Equal(name, template.Name);
        Assert.Equal(type, template.Type);
        Assert.Equal(rendered, template.Render(c => c == "a" ? "x" : "y", out _));
    }

    [Theory]
    [InlineData("pk", "is not name=template")]
    [InlineData("pk=constant", "uses no column")]
    [InlineData("pk:DATE=${a}", "the type must be one of S, N, BOOL, B")]
    public void Template_RejectsWhatItCannotUse(string text, string expected)
    {
        Assert.Null(AttributeTemplate.TryParse(text, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
