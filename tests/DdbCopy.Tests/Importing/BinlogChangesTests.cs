using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Jobs.Importing;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Shaping;
using DdbCopy.Core.Sources;
using DdbCopy.Core.Sources.MySql;
using DdbCopy.Core.Sources.MySql.Binlog;

namespace DdbCopy.Tests.Importing;

/// <summary>
/// What a row change read from the binary log does to the destination: writes put, deletes delete, a key change deletes
/// the old item first, an update the filter no longer passes deletes the item, a filtered insert does nothing, and a row
/// that cannot be an item is given back with the reason; the ledger moves the position only past transactions done with all before them.
/// </summary>
public sealed class BinlogChangesTests
{
    private static readonly KeyAttribute[] Key = [new("id", "HASH", "N")];

    private static BinlogChanges Changes(ShapeSettings? shape = null) => new(
        BinlogTable.Create("shop", "accounts", [new BinlogColumn("id"), new BinlogColumn("name"), new BinlogColumn("amount")],
            [MySqlValues.Kind.Integer, MySqlValues.Kind.Text, MySqlValues.Kind.Decimal]),
        new RowMapping(new CsvMapping()), shape ?? new ShapeSettings(), Key, keepNulls: false);

    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;

    [Fact]
    public void AnUpdateThatChangesTheKey_DeletesTheOldItem_ThenPutsTheNew()
    {
        var changes = Changes().Of(new RowImages([1, "a", "1.50"], [2, "a", "1.50"]), At, out var problem, out _);

        Assert.Null(problem);
        Assert.Equal(["REMOVE id=1", "MODIFY id=2"], changes.Select(c => $"{c.EventName} {ChangeRecord(c)}"));
        Assert.Equal("1.50", changes[1].NewImage!["amount"].N);
    }

    [Fact]
    public void AnUpdateTheFilterNoLongerPasses_DeletesTheItem_AndAFilteredInsert_DoesNothing()
    {
        var shape = new ShapeSettings { FilterExpression = "amount > :min", Values = new Dictionary<string, AttributeValue> { [":min"] = new() { N = "10" } } };

        var update = Changes(shape).Of(new RowImages([1, "a", "20.00"], [1, "a", "5.00"]), At, out _, out _);
        var insert = Changes(shape).Of(new RowImages(null, [3, "c", "5.00"]), At, out _, out _);
        var passes = Changes(shape).Of(new RowImages(null, [4, "d", "50.00"]), At, out _, out _);

        Assert.Equal(["REMOVE id=1"], update.Select(c => $"{c.EventName} {ChangeRecord(c)}"));
        Assert.Empty(insert);
        Assert.Equal(["INSERT id=4"], passes.Select(c => $"{c.EventName} {ChangeRecord(c)}"));
    }

    [Fact]
    public void ADelete_DeletesByTheKeyOfTheRowsItem()
    {
        var changes = Changes().Of(new RowImages([7, "g", null], null), At, out _, out _);

        Assert.Equal(["REMOVE id=7"], changes.Select(c => $"{c.EventName} {ChangeRecord(c)}"));
    }

    [Fact]
    public void ARowWithoutItsKey_IsGivenBackWithTheReason_AndChangesNothing()
    {
        var changes = Changes().Of(new RowImages(null, [null, "x", "1"]), At, out var problem, out var texts);

        Assert.Empty(changes);
        Assert.Contains("id", problem, StringComparison.Ordinal);
        Assert.Equal("x", texts!["name"]);
    }

    [Fact]
    public void TheLedger_MovesOnlyPastTransactionsDoneWithAllBeforeThem()
    {
        var ledger = new CommitLedger<string>("start");
        var first = ledger.Add(2, "after-1", At);
        var second = ledger.Add(1, "after-2", At);
        ledger.Add(0, "after-3", At);

        ledger.Done(second);
        Assert.Equal(("start", 2L), (ledger.Applied, ledger.Pending));
        ledger.Done(first);
        Assert.Equal("start", ledger.Applied);
        ledger.Done(first);
        Assert.Equal(("after-3", 0L, 3L), (ledger.Applied, ledger.Pending, ledger.Transactions));
    }

    private static string ChangeRecord(Core.Engine.ChangeRecord change) => Core.Engine.ChangeRecord.KeyText(change.Keys);
}
