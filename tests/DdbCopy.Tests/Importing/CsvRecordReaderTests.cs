using DdbCopy.Core.Aws;
using DdbCopy.Core.Sources.Files;
using DdbCopy.Core.Sources;

namespace DdbCopy.Tests.Importing;

public sealed class CsvRecordReaderTests
{
    private static async Task<List<CsvRecord>> ReadAsync(string csv, string delimiter = ",")
    {
        var reader = new CsvRecordReader(new StringReader(csv), delimiter);
        var records = new List<CsvRecord>();
        while (await reader.ReadAsync(default) is { } record)
        {
            records.Add(record);
        }

        return records;
    }

    [Fact]
    public async Task Read_QuotedFieldsKeepDelimitersDoubledQuotesAndLineBreaks()
    {
        var records = await ReadAsync("a,\"b, c\",\"say \"\"hi\"\"\"\n\n\"two\nlines\",x,\n");

        Assert.Equal(2, records.Count);
        Assert.Equal(["a", "b, c", "say \"hi\""], records[0].Fields!);
        Assert.Equal(1, records[0].Line);
        Assert.Equal(["two\nlines", "x", ""], records[1].Fields!);
        Assert.Equal(3, records[1].Line);
    }

    [Fact]
    public async Task Read_AnUnterminatedQuote_RejectsOnlyItsRecordAndGoesOnAtTheNextLine()
    {
        var records = await ReadAsync("1,\"open\n2,fine\n3,\"also fine\"\n");

        Assert.Equal(3, records.Count);
        Assert.Equal(1, records[0].Line);
        Assert.Null(records[0].Fields);
        Assert.Contains("never closed", records[0].Error, StringComparison.Ordinal);
        Assert.Equal("1,\"open", records[0].Text);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(["2", "fine"], records[1].Fields!);
        Assert.Equal(3, records[2].Line);
        Assert.Equal(["3", "also fine"], records[2].Fields!);
    }

    [Fact]
    public async Task Read_AQuoteOpenForMoreThanAnItemCanHold_IsRejectedWithoutReadingTheWholeFile()
    {
        var filler = string.Concat(Enumerable.Repeat(new string('x', 1000) + "\n", 500)); // 500 KB after the quote
        var records = await ReadAsync("1,\"open\n" + filler + "2,last\n");

        Assert.Contains("400 KB", records[0].Error, StringComparison.Ordinal);
        Assert.Equal(502, records.Count); // the bad record, each filler line again, and the last one
        Assert.Equal(502, records[^1].Line);
        Assert.Equal(["2", "last"], records[^1].Fields!);
    }

    [Theory]
    [InlineData("\"x\"y,2", "a closing quote is followed by 'y'")]
    [InlineData("ab\"c,2", "a quote inside a field")]
    public async Task Read_StrayQuotes_AreAnErrorOfTheirRecordOnly(string bad, string expected)
    {
        var records = await ReadAsync($"0,ok\n{bad}\n3,ok\n");

        Assert.Equal(3, records.Count);
        Assert.Equal(2, records[1].Line);
        Assert.Contains(expected, records[1].Error, StringComparison.Ordinal);
        Assert.Equal(["3", "ok"], records[2].Fields!);
    }

    [Fact]
    public async Task Read_AMultiCharacterDelimiter_SplitsOnIt()
    {
        var records = await ReadAsync("a||b|c||\"d||e\"\n", "||");
        Assert.Equal(["a", "b|c", "d||e"], Assert.Single(records).Fields!);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("\n\n", "is empty")]
    [InlineData("id,name,id\n1,a,2\n", "names the column 'id' twice (columns 1 and 3)")]
    [InlineData("id,\"name\n", "the header row is not valid CSV")]
    public async Task CheckHeader_OfAnEmptyFileADuplicateOrADamagedHeader_StopsBeforeWriting(string csv, string expected)
    {
        var error = await Assert.ThrowsAsync<DdbCopyException>(() => new CsvItemReader(new CsvMapping(), "in.csv").CheckHeaderAsync(new StringReader(csv)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("in.csv", error.Message, StringComparison.Ordinal);
    }
}
