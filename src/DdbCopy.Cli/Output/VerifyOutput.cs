using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using DdbCopy.Core.Jobs.Verifying;

namespace DdbCopy.Cli.Output;

/// <summary>Prints the summary of `ddbcopy verify` on stdout, as text or JSON.</summary>
internal static class VerifyOutput
{
    public static void Write(TextWriter output, string format, string source, string destination, VerifySummary summary, int exitCode)
    {
        if (format == "json")
        {
            output.WriteLine(JsonSerializer.Serialize(Json(source, destination, summary, exitCode), VerifyJsonContext.Default.VerifyJson));
            return;
        }

        output.WriteLine(Invariant(
            $"{(summary.Equal ? "EQUAL" : "DIFFERENT")}: compared {summary.Compared} items of {source} with {summary.DestinationItems} of {destination}: {summary.Missing} missing, {summary.Different} different, {summary.Extra} extra ({summary.DurationSeconds:0.0} s)."));
        output.WriteLine(Invariant(
            $"Read {summary.ConsumedSourceReadCapacity:0.#} RCU from the source and {summary.ConsumedDestinationReadCapacity:0.#} RCU from the destination{(summary.ConsumedWriteCapacity > 0 ? $"; wrote {summary.ConsumedWriteCapacity:0.#} WCU" : "")}."));
        if (summary.DiffFile is not null)
        {
            output.WriteLine($"The keys that differ are in {summary.DiffFile}");
        }

        if (summary.AfterRepair is { } after)
        {
            output.WriteLine(Invariant(
                $"Repaired: wrote {summary.Repaired} items from the source, deleted {summary.Deleted} extra items; verified again: {after.Missing} missing, {after.Different} different, {after.Extra} extra."));
        }

        if (summary.RepairFailed > 0)
        {
            output.WriteLine(Invariant($"{summary.RepairFailed} items could not be repaired; they are in {summary.DeadLetterFile}"));
        }

        if (summary.Interrupted)
        {
            output.WriteLine("Stopped before the comparison was done: nothing is known about the items not compared.");
        }

        if (((summary.AfterRepair ?? summary).Error ?? summary.Error) is { } error)
        {
            output.WriteLine($"Error: {error}");
        }
    }

    /// <summary>The JSON summary of a verify that ended before it compared anything: the same fields as any other, counts 0.</summary>
    public static string FailureJson(string? source, string? destination, string error, int exitCode) =>
        JsonSerializer.Serialize(new VerifyJson(source ?? "", destination ?? "", 0, 0, 0, 0, 0, null, 0, 0, 0, null, null, 0, 0, 0, 0,
            Equal: false, Interrupted: exitCode == ExitCodes.Interrupted, error, exitCode), VerifyJsonContext.Default.VerifyJson);

    private static VerifyJson Json(string source, string destination, VerifySummary s, int exitCode) => new(
        source, destination, s.Compared, s.DestinationItems, s.Missing, s.Different, s.Extra, s.DiffFile, s.Repaired, s.Deleted, s.RepairFailed,
        s.DeadLetterFile, s.AfterRepair is { } a ? new DifferenceCounts(a.Missing, a.Different, a.Extra, a.DiffFile) : null,
        s.ConsumedSourceReadCapacity, s.ConsumedDestinationReadCapacity, s.ConsumedWriteCapacity, s.DurationSeconds, s.Equal, s.Interrupted,
        (s.AfterRepair ?? s).Error ?? s.Error, exitCode);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The JSON shape of verify's summary (stable field names: scripts depend on them).</summary>
internal sealed record VerifyJson(
    string SourceTable,
    string DestinationTable,
    long Compared,
    long DestinationItems,
    long Missing,
    long Different,
    long Extra,
    string? DiffFile,
    long Repaired,
    long Deleted,
    long RepairFailed,
    string? DeadLetterFile,
    DifferenceCounts? AfterRepair,
    double ConsumedSourceReadCapacity,
    double ConsumedDestinationReadCapacity,
    double ConsumedWriteCapacity,
    double DurationSeconds,
    bool Equal,
    bool Interrupted,
    string? Error,
    int ExitCode);

internal sealed record DifferenceCounts(long Missing, long Different, long Extra, string? DiffFile);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(VerifyJson))]
internal sealed partial class VerifyJsonContext : JsonSerializerContext;
