using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using DdbCopy.Core.Jobs.Generating;

namespace DdbCopy.Cli.Output;

/// <summary>Prints the summary of `ddbcopy generate` on stdout, as text or JSON.</summary>
internal static class GenerateOutput
{
    public static void Write(TextWriter output, string format, string table, GenerateSummary s, int exitCode)
    {
        if (format == "json")
        {
            output.WriteLine(JsonSerializer.Serialize(new GenerateJson(table, s.Items, s.Written, s.Updated, s.Deleted, s.DeadLettered, s.DeadLetterFile, s.Seed,
                s.ConsumedWriteCapacity, s.DurationSeconds, s.Complete, s.Interrupted, s.Error, exitCode), GenerateJsonContext.Default.GenerateJson));
            return;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(s.Complete ? "Complete" : s.Interrupted ? "INTERRUPTED" : "INCOMPLETE")}: wrote {s.Written} of {s.Items} items into {table}, then {s.Updated} updates and {s.Deleted} deletes, in {s.DurationSeconds:0.0} s ({s.ConsumedWriteCapacity:0.#} WCU; seed {s.Seed})."));
        if (s.DeadLettered > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.DeadLettered} writes were not confirmed; they are in {s.DeadLetterFile}"));
        }

        if (s.Error is not null)
        {
            output.WriteLine($"Error: {s.Error}");
        }
    }
}

/// <summary>The JSON shape of generate's summary (stable field names).</summary>
internal sealed record GenerateJson(string Table, long Items, long Written, long Updated, long Deleted, long DeadLettered, string? DeadLetterFile,
    int Seed, double ConsumedWriteCapacity, double DurationSeconds, bool Complete, bool Interrupted, string? Error, int ExitCode);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(GenerateJson))]
internal sealed partial class GenerateJsonContext : JsonSerializerContext;
