using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Engine.Checkpoints;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Formats;

namespace DdbCopy.Tests.Checkpoints;

/// <summary>The ledger moves a lane only past tickets settled in an unbroken run from its start.</summary>
public sealed class SettleLedgerTests
{
    private static Dictionary<string, AttributeValue> Key(string pk) => new() { ["pk"] = new AttributeValue { S = pk } };

    private static TransferCounters Written(int items)
    {
        var outcome = new TransferCounters();
        outcome.AddWritten(items);
        return outcome;
    }

    private static PageTicket Page(SettleLedger ledger, int segment, string? lastKey, int items)
    {
        var ticket = ledger.Open(LanePosition.AfterPage(segment, lastKey is null ? null : Key(lastKey)));
        ticket.AddBatch(items);
        ticket.Seal();
        return ticket;
    }

    [Fact]
    public void Settle_OutOfOrder_MovesTheLaneOnlyPastTheUnbrokenRunFromItsStart()
    {
        var ledger = new SettleLedger([LanePosition.Start(0)]);
        var first = Page(ledger, 0, "a", 10);
        var second = Page(ledger, 0, "b", 10);
        var third = Page(ledger, 0, null, 5);

        second.Settle(Written(10));
        third.Settle(Written(5));
        Assert.Null(ledger.PositionOf(0).LastKey);
        Assert.False(ledger.PositionOf(0).Done);
        Assert.Equal(0, ledger.Settled.Scanned);

        first.Settle(Written(10));
        Assert.True(ledger.PositionOf(0).Done);
        Assert.True(ledger.AllDone);
        Assert.Equal(25, ledger.Settled.Scanned);
        Assert.Equal(25, ledger.Settled.Written);
    }

    [Fact]
    public void Settle_ATicketOfSeveralBatches_CountsOnlyWhenEveryBatchAndTheSealAreIn()
    {
        var ledger = new SettleLedger([LanePosition.Start(3)]);
        var ticket = ledger.Open(LanePosition.AfterPage(3, Key("x")));
        ticket.AddBatch(25);
        ticket.AddBatch(25);
        ticket.Settle(Written(25));
        ticket.Settle(Written(25));
        Assert.Null(ledger.PositionOf(3).LastKey); // not sealed: more batches may come

        ticket.Seal();
        Assert.Equal("x", ledger.PositionOf(3).LastKey!["pk"].S);
        Assert.Equal(50, ledger.Settled.Written);
    }

    [Fact]
    public void Settle_APageTheFilterThinned_CountsTheLeftOutItemsAsReadAndFiltered()
    {
        // A page of 10 the Scan read, 4 returned; of these, one rejected while shaped and one left out here: 2 written.
        var ledger = new SettleLedger([LanePosition.Start(0)]);
        var ticket = ledger.Open(LanePosition.AfterPage(0, Key("k")));
        ticket.AddFilteredByScan(6);
        ticket.AddBatch(4);
        ticket.AddShaped(filtered: 1, rejected: 1);
        ticket.Settle(Written(2));
        ticket.Seal();

        var settled = ledger.Settled;
        Assert.Equal((9, 2, 7, 1), (settled.Scanned, settled.Written, settled.Filtered, settled.Rejected));
        Assert.Equal(settled.Scanned, settled.Written + settled.Filtered); // scanned = written + deadLettered + filtered
    }

    [Fact]
    public void Settle_WhatWasRecordedInsteadOfWritten_IsInTheTotals()
    {
        var ledger = new SettleLedger([LanePosition.Start(0)]);
        var ticket = ledger.Open(LanePosition.AfterPage(0, null));
        ticket.AddBatch(4);
        ticket.AddRejected(2);
        ticket.Seal();
        var outcome = new TransferCounters();
        outcome.AddWritten(3);
        outcome.AddFailed(1);
        outcome.AddDeadLettered(1);
        ticket.Settle(outcome);

        var totals = ledger.Snapshot().Settled;
        Assert.Equal((4, 3, 1, 1, 2), (totals.Scanned, totals.Written, totals.Failed, totals.DeadLettered, totals.Rejected));
    }

    [Fact]
    public void Snapshot_AfterAFileCommit_ListsTheFileAndItsPagesTogether()
    {
        var ledger = new SettleLedger([LanePosition.Start(0), LanePosition.Start(1)]);
        var a = ledger.Open(LanePosition.AfterPage(0, Key("a")));
        a.AddBatch(100);
        a.Seal();
        var b = ledger.Open(LanePosition.AfterPage(1, null));
        b.AddBatch(50);
        b.Seal();
        var before = ledger.Snapshot();

        ledger.CommitFile(new ManifestFile { DataFileS3Key = "data/00-000001.json.gz", ItemCount = 150 }, [(a, Written(100)), (b, Written(50))]);

        var after = ledger.Snapshot();
        Assert.Empty(before.Files);
        Assert.Equal("data/00-000001.json.gz", Assert.Single(after.Files).DataFileS3Key);
        Assert.Equal("a", after.Lanes[0].LastKey!["pk"].S);
        Assert.True(after.Lanes[1].Done);
        Assert.Equal(150, after.Settled.Written);
        Assert.True(after.Version > before.Version);
    }

    [Fact]
    public void AllDone_IsFalseWhileALaneWasNeverRead()
    {
        var ledger = new SettleLedger([LanePosition.Start(0), LanePosition.Start(1)]);
        var only = ledger.Open(LanePosition.AfterPage(0, null));
        only.Seal();

        Assert.True(ledger.PositionOf(0).Done);
        Assert.False(ledger.AllDone);
    }

    [Fact]
    public void Ledger_FromAnEarlierRun_StartsWhereItStoodWithItsTotals()
    {
        var settled = new TransferCounters();
        settled.AddSettled(1_000, 990, 10, 10, 0);
        var ledger = new SettleLedger([new LanePosition(0, Done: true), new LanePosition(1, LastKey: Key("m"))], settled);

        Assert.True(ledger.PositionOf(0).Done);
        Assert.Equal("m", ledger.PositionOf(1).LastKey!["pk"].S);
        Page(ledger, 1, null, 7).Settle(Written(7));
        Assert.Equal(1_007, ledger.Settled.Scanned);
        Assert.True(ledger.AllDone);
    }
}
