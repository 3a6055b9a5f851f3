using System.Globalization;
using System.Text.Json;
using DdbCopy.Core.Copying;

namespace DdbCopy.Cli.Output;

/// <summary>Prints the final summary on stdout, as text or JSON.</summary>
internal static class SummaryWriter
{
    public static void Write(TextWriter output, string format, CopySettings settings, CopySummary summary, int exitCode)
    {
        if (format == "json")
        {
            var json = new SummaryJson(settings.SourceTable, settings.DestinationTable, summary.Scanned, summary.Written,
                summary.Failed, summary.DeadLettered, summary.DeadLetterFile, summary.Unconfirmed, summary.Retries, summary.ThrottledRequests, summary.DurationSeconds,
                summary.ConsumedReadCapacity, summary.ConsumedWriteCapacity, summary.Complete, summary.Interrupted,
                summary.Error, exitCode);
            output.WriteLine(JsonSerializer.Serialize(json, SummaryJsonContext.Default.SummaryJson));
            return;
        }

        var rate = summary.DurationSeconds > 0 ? summary.Written / summary.DurationSeconds : 0;
        var status = summary.Complete ? "Copy complete" : summary.Interrupted ? "Copy INTERRUPTED" : "Copy INCOMPLETE";
        output.WriteLine(Invariant(
            $"{status}: {summary.Written} of {summary.Scanned} scanned items written from {settings.SourceTable} to {settings.DestinationTable} in {summary.DurationSeconds:0.0} s ({rate:0} items/s)."));
        output.WriteLine(Invariant(
            $"Consumed {summary.ConsumedReadCapacity:0.#} RCU and {summary.ConsumedWriteCapacity:0.#} WCU; {summary.Retries} retries ({summary.ThrottledRequests} throttled)."));
        if (summary.Failed > 0)
        {
            output.WriteLine(Invariant($"{summary.Failed} items were NOT written after every retry."));
        }

        if (summary.DeadLettered > 0)
        {
            output.WriteLine(Invariant($"{summary.DeadLettered} items not confirmed written are in the dead-letter file {summary.DeadLetterFile}"));
            output.WriteLine(Invariant($"Re-send them with: ddbcopy import --from {summary.DeadLetterFile} --destinationTable {settings.DestinationTable}{DestinationFlags(settings)}"));
        }

        if (summary.Unconfirmed > 0)
        {
            output.WriteLine(Invariant($"{summary.Unconfirmed} items were in flight when the copy stopped and are not accounted for."));
        }

        if (summary.Interrupted)
        {
            output.WriteLine("The scan was stopped before the end of the table: run the copy again to finish it (writes are idempotent puts).");
        }

        if (summary.Error is not null)
        {
            output.WriteLine($"Error: {summary.Error}");
        }
    }

    private static string DestinationFlags(CopySettings settings)
    {
        var flags = "";
        if (settings.Destination.Endpoint.ServiceUrl is { } url)
        {
            flags += $" --destinationEndpoint {url.GetLeftPart(UriPartial.Authority)}";
        }

        if (settings.Destination.Endpoint.Region is { } region)
        {
            flags += $" --destinationRegion {region}";
        }

        if (settings.Destination.Profile is { } profile)
        {
            flags += $" --destinationProfile {profile}";
        }

        return flags;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
