using System.Text.Json;
using System.Text.Json.Serialization;
using DdbCopy.Core.Capacity;
using DdbCopy.Core.Jobs.Copying;

namespace DdbCopy.Cli.Output;

/// <summary>A dry run with --output json: its lines and the estimate (stable field names: scripts depend on them).</summary>
internal static class DryRunJson
{
    public static string Write(DryRunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(new DryRunDocument(report.Lines, report.Estimate), DryRunJsonContext.Default.DryRunDocument);
    }
}

internal sealed record DryRunDocument(IReadOnlyList<string> Lines, CopyEstimate? Estimate);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(DryRunDocument))]
internal sealed partial class DryRunJsonContext : JsonSerializerContext;
