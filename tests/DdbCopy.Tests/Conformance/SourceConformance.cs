using DdbCopy.Core.Engine;
using DdbCopy.Core.Engine.Checkpoints;
using Microsoft.Extensions.Logging.Abstractions;

namespace DdbCopy.Tests.Conformance;

/// <summary>
/// What every source must do (rclone's fstests idea: one suite, every backend): the same items out as in, each once;
/// an empty input ends complete; a graceful stop ends interrupted with everything read written and nothing twice; a
/// hard stop ends at once with nothing twice. Sources that keep a position add <see cref="ResumableSourceConformance"/>,
/// sources that can meet a record that is no item add <see cref="RefusingSourceConformance"/>.
/// </summary>
public abstract class SourceConformance : IDisposable
{
    protected string Folder { get; } = Directory.CreateTempSubdirectory("ddbcopy-conformance-").FullName;

    /// <summary>A source holding exactly the items <see cref="ConformanceHarness.Item"/> 0 to <paramref name="count"/> - 1 (the same ones each call).</summary>
    protected abstract IItemSource Create(int count);

    /// <summary>The keys (pk) of the items a source of <paramref name="count"/> holds.</summary>
    protected virtual IEnumerable<string> ExpectedKeys(int count) => ConformanceHarness.Keys(count);

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task EveryItem_ComesOutExactlyOnce()
    {
        var sink = new RecordingSink();

        var summary = await ConformanceHarness.RunAsync(Create(2_000), sink, StopSignals.None);

        Assert.True(summary.Complete, summary.Error);
        Assert.Equal((2_000, 2_000), (summary.Scanned, summary.Written));
        Assert.Equal(ExpectedKeys(2_000).Order(StringComparer.Ordinal), sink.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AnEmptyInput_EndsComplete_WithNothingWritten()
    {
        var sink = new RecordingSink();

        var summary = await ConformanceHarness.RunAsync(Create(0), sink, StopSignals.None);

        Assert.True(summary.Complete, summary.Error);
        Assert.Equal((0, 0), (summary.Scanned, summary.Written));
        Assert.Empty(sink.Keys);
    }

    [Fact]
    public async Task AGracefulStop_EndsInterrupted_WithEverythingReadWrittenOnce()
    {
        using var graceful = new CancellationTokenSource();
        var sink = new RecordingSink(stopAfterBatches: 10, graceful.Cancel);

        var summary = await ConformanceHarness.RunAsync(Create(50_000), sink, new StopSignals(graceful.Token, CancellationToken.None));

        Assert.True(summary.Interrupted);
        Assert.InRange(summary.Scanned, 250, 49_999);
        Assert.Equal(summary.Scanned, summary.Written);
        Assert.Equal(summary.Written, sink.Keys.Count);
        Assert.Equal(sink.Keys.Count, sink.Keys.Distinct().Count());
    }

    [Fact]
    public async Task AHardStop_EndsInterrupted_AtOnce_WithNothingWrittenTwice()
    {
        using var hard = new CancellationTokenSource();
        var sink = new RecordingSink(stopAfterBatches: 10, hard.Cancel);

        var summary = await ConformanceHarness.RunAsync(Create(50_000), sink, new StopSignals(CancellationToken.None, hard.Token));

        Assert.True(summary.Interrupted);
        Assert.InRange(summary.Written, 250, 49_999);
        Assert.InRange(summary.Scanned, summary.Written, 49_999);
        Assert.Equal(summary.Written, sink.Keys.Count);
        Assert.Equal(sink.Keys.Count, sink.Keys.Distinct().Count());
    }
}

/// <summary>
/// A source that keeps its position in the checkpoint: stopped and resumed, every item comes out across the two runs;
/// after a graceful stop each exactly once, after a hard stop what the stop left unsettled is read again.
/// </summary>
public abstract class ResumableSourceConformance : SourceConformance
{
    private string CheckpointPath => Path.Combine(Folder, "conformance.checkpoint.json");

    /// <summary>The lanes (segments, files, key ranges) a new checkpoint of a source of <paramref name="count"/> items starts with.</summary>
    protected abstract IReadOnlyList<int> Lanes(int count);

    private Task<TransferSummary> RunAsync(int count, RecordingSink sink, StopSignals stop, bool resume)
    {
        var checkpoint = resume
            ? JobCheckpoint.Continue(CheckpointPath, CheckpointFile.Load(CheckpointPath)!, TimeProvider.System, NullLogger.Instance)
            : JobCheckpoint.New(CheckpointPath, new JobIdentity("conformance", "source", "sink", Lanes(count).Count), Lanes(count), null, null,
                TimeProvider.System, NullLogger.Instance);
        return new TransferJob(Create(count), sink, ConformanceHarness.Options, TimeProvider.System, NullLogger.Instance, checkpoint: checkpoint).RunAsync(stop);
    }

    [Fact]
    public async Task ResumedAfterAGracefulStop_EveryItemComesOutOnce_AcrossTheRuns()
    {
        using var graceful = new CancellationTokenSource();
        var first = new RecordingSink(stopAfterBatches: 10, graceful.Cancel);
        var stopped = await RunAsync(20_000, first, new StopSignals(graceful.Token, CancellationToken.None), resume: false);
        var second = new RecordingSink();

        var resumed = await RunAsync(20_000, second, StopSignals.None, resume: true);

        Assert.True(stopped.Interrupted);
        Assert.True(resumed.Complete, resumed.Error);
        Assert.Equal(stopped.Written, resumed.Resumed);
        Assert.Empty(first.Keys.Intersect(second.Keys));
        Assert.Equal(ExpectedKeys(20_000).Order(StringComparer.Ordinal), first.Keys.Concat(second.Keys).Order(StringComparer.Ordinal));
        Assert.Equal(CheckpointState.Finished, CheckpointFile.Load(CheckpointPath)!.State);
    }

    [Fact]
    public async Task ResumedAfterAHardStop_WhatTheStopLeftUnsettled_IsReadAgain()
    {
        using var hard = new CancellationTokenSource();
        var first = new RecordingSink(stopAfterBatches: 10, hard.Cancel);
        var stopped = await RunAsync(20_000, first, new StopSignals(CancellationToken.None, hard.Token), resume: false);
        var saved = CheckpointFile.Load(CheckpointPath)!;
        var second = new RecordingSink();

        var resumed = await RunAsync(20_000, second, StopSignals.None, resume: true);

        Assert.True(stopped.Interrupted);
        Assert.InRange(saved.Totals.Written, 0, stopped.Written); // the checkpoint never claims more than was written
        Assert.True(resumed.Complete, resumed.Error);
        Assert.Equal(ExpectedKeys(20_000).Order(StringComparer.Ordinal), first.Keys.Concat(second.Keys).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(second.Keys.Count, second.Keys.Distinct().Count());
    }
}

/// <summary>A source whose input can hold a record that is no item (no key, bad text): it is rejected and counted, the rest written.</summary>
public abstract class RefusingSourceConformance : ResumableSourceConformance
{
    /// <summary>A source of <paramref name="count"/> records where those numbered in <paramref name="refused"/> are no item (their key is missing).</summary>
    protected abstract IItemSource CreateWithRefusals(int count, IReadOnlySet<int> refused);

    [Fact]
    public async Task ARecordThatIsNoItem_IsRejected_AndCounted_AndTheRestWritten()
    {
        var refused = new HashSet<int> { 0, 17, 999, 1_500 };
        var sink = new RecordingSink();

        var summary = await ConformanceHarness.RunAsync(CreateWithRefusals(2_000, refused), sink, StopSignals.None);

        Assert.False(summary.Complete);
        Assert.Null(summary.Error);
        Assert.Equal(refused.Count, summary.Rejected);
        Assert.Equal(2_000 - refused.Count, summary.Written);
        Assert.Equal(ExpectedKeys(2_000).Where((_, i) => !refused.Contains(i)).Order(StringComparer.Ordinal), sink.Keys.Order(StringComparer.Ordinal));
    }
}
