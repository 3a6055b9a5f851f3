using System.Globalization;
using System.Text.Json;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Engine;

namespace DdbCopy.Cli.Output;

/// <summary>Prints the final summary on stdout, as text or JSON.</summary>
internal static class SummaryWriter
{
    /// <param name="source">What was read: the source table's name, or the imported file.</param>
    public static void Write(TextWriter output, string format, string source, string destinationTable, SideSpec destination,
        TransferSummary summary, int exitCode)
    {
        if (format == "json")
        {
            var json = new SummaryJson(source, destinationTable, summary.Scanned, summary.Written,
                summary.Failed, summary.DeadLettered, summary.DeadLetterFile, summary.Rejected, summary.RejectFile, summary.Unconfirmed, summary.Retries, summary.ThrottledRequests, summary.DurationSeconds,
                summary.ConsumedReadCapacity, summary.ConsumedWriteCapacity, summary.Complete, summary.Interrupted,
                summary.Error, exitCode, summary.Resumed, summary.CheckpointFile, Round(summary.ReadRate?.Mean), Round(summary.ReadRate?.Peak),
                Round(summary.WriteRate?.Mean), Round(summary.WriteRate?.Peak), summary.Follow?.StreamRecords, summary.Follow?.Applied,
                summary.Follow?.Skipped, summary.Follow?.DeadLettered, summary.Follow?.LagSeconds, summary.Follow?.CaughtUp,
                summary.Filtered, Transformed(summary)?.In, Transformed(summary)?.Out,
                summary.LimitShares is [var first, ..] ? RateLimitReading.Key(first.By) : null,
                summary.LimitShares is { Count: > 0 } shares ? shares.ToDictionary(s => RateLimitReading.Key(s.By), s => Math.Round(s.Share, 3)) : null)
            {
                Transactions = summary.Follow?.Transactions,
                BinlogRows = summary.Follow?.Rows,
                BinlogPosition = summary.Follow?.Position,
            };
            output.WriteLine(JsonSerializer.Serialize(json, SummaryJsonContext.Default.SummaryJson));
            return;
        }

        var rate = summary.DurationSeconds > 0 ? summary.Written / summary.DurationSeconds : 0;
        var status = summary.Complete ? "Complete" : summary.Interrupted ? "INTERRUPTED" : "INCOMPLETE";
        output.WriteLine(Invariant(
            $"{status}: wrote {summary.Written} of {summary.Scanned} items read from {source} into {destinationTable} in {summary.DurationSeconds:0.0} s ({rate:0} items/s)."));
        if (summary.Filtered > 0)
        {
            output.WriteLine(Invariant($"{summary.Filtered} items read were left out by the filter."));
        }

        if (Transformed(summary) is { } transform)
        {
            output.WriteLine(Invariant($"The transform took {transform.In} items and gave back {transform.Out}."));
        }
        if (summary.Resumed > 0)
        {
            output.WriteLine(Invariant($"Resumed from the checkpoint {summary.CheckpointFile}: {summary.Resumed} of these items were settled by earlier runs."));
        }

        output.WriteLine(Invariant(
            $"Consumed {summary.ConsumedReadCapacity:0.#} RCU and {summary.ConsumedWriteCapacity:0.#} WCU; {summary.Retries} retries ({summary.ThrottledRequests} throttled)."));
        foreach (var (what, unit, adaptive) in new[] { ("read", "RCU", summary.ReadRate), ("write", "WCU", summary.WriteRate) })
        {
            if (adaptive is { } r)
            {
                output.WriteLine(Invariant($"Adaptive {what} rate: mean {r.Mean:0.#}, peak {r.Peak:0.#} {unit}/s."));
            }
        }

        if (summary.LimitShares is { Count: > 0 } limits)
        {
            output.WriteLine("The write rate was limited by " + string.Join(", ", limits.Select((l, i) =>
                Invariant($"{Cause(l.By)} {100 * l.Share:0}%{(i == 0 ? " of the time" : "")}"))) + ".");
        }

        if (summary.Follow is { Position: { } position } binlog)
        {
            output.WriteLine(Invariant(
                $"{binlog.Source}: {binlog.StreamRecords} events read, {binlog.Rows} row changes of the table in {binlog.Transactions} transactions, {binlog.Applied} changes applied, {binlog.DeadLettered} dead-lettered; at {position}, {(binlog.CaughtUp ? "caught up" : $"lag {binlog.LagSeconds:0.#} s, {binlog.Pending} pending")}."));
            if (binlog.DeadLettered > 0)
            {
                output.WriteLine(Invariant($"{binlog.DeadLettered} changes could not be applied: they are in the dead-letter file {summary.DeadLetterFile} (deletes as {{\"Delete\":...}} lines)."));
            }
        }
        else if (summary.Follow is { } follow)
        {
            output.WriteLine(Invariant(
                $"{follow.Source}: {follow.StreamRecords} records read, {follow.Applied} changes applied, {follow.Skipped} skipped as older than the destination's, {follow.DeadLettered} dead-lettered; {(follow.CaughtUp ? "caught up" : $"lag {follow.LagSeconds:0.#} s, {follow.Pending} pending")}."));
            if (follow.DeadLettered > 0)
            {
                output.WriteLine(Invariant($"{follow.DeadLettered} stream changes could not be applied: they are in the dead-letter file {summary.DeadLetterFile} (deletes as {{\"Delete\":...}} lines)."));
            }
        }

        if (summary.Failed > 0)
        {
            output.WriteLine(Invariant($"{summary.Failed} items were NOT written after every retry."));
        }

        if (summary.DeadLettered > 0)
        {
            output.WriteLine(Invariant($"{summary.DeadLettered} items not confirmed written are in the dead-letter file {summary.DeadLetterFile}"));
            output.WriteLine(Invariant($"Re-send them with: ddbcopy import --from {summary.DeadLetterFile} --destinationTable {destinationTable}{DestinationFlags(destination)}"));
        }

        if (summary.Rejected > 0)
        {
            var where = summary.RejectFile is null ? "." : $" and recorded in {summary.RejectFile}";
            output.WriteLine(Invariant($"{summary.Rejected} input records were rejected (each is logged with its file and line number){where}"));
        }

        if (summary.Unconfirmed > 0)
        {
            output.WriteLine(Invariant($"{summary.Unconfirmed} items were in flight when the copy stopped and are not accounted for."));
        }

        if (summary.Interrupted)
        {
            output.WriteLine("The job was stopped before the end of its input.");
        }

        if (summary.Error is not null)
        {
            output.WriteLine($"Error: {summary.Error}");
        }

        if ((summary.Interrupted || summary.Error is not null) && summary.CheckpointFile is not null)
        {
            output.WriteLine($"Continue where it stopped: run the same command with --resume (checkpoint: {summary.CheckpointFile}).");
        }
    }

    private static (long In, long Out)? Transformed(TransferSummary summary) =>
        summary.TransformIn > 0 || summary.TransformOut > 0 ? (summary.TransformIn, summary.TransformOut) : null;

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 1) : null;

    private static string DestinationFlags(SideSpec destination)
    {
        var flags = "";
        if (destination.Endpoint.ServiceUrl is { } url)
        {
            flags += $" --destinationEndpoint {url.GetLeftPart(UriPartial.Authority)}";
        }

        if (destination.Endpoint.Region is { } region)
        {
            flags += $" --destinationRegion {region}";
        }

        if (destination.Profile is { } profile)
        {
            flags += $" --destinationProfile {profile}";
        }

        return flags;
    }

    /// <summary>A cause of a limited write rate, in the summary's words.</summary>
    private static string Cause(RateLimit by) => by switch
    {
        RateLimit.Budget => "the budget",
        RateLimit.Throttling => "throttling",
        RateLimit.InFlight => "the writes in flight x the round trip",
        RateLimit.Cpu => "the CPU",
        _ => "the source's reads",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
