using DdbCopy.Core.Engine;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Shaping;

/// <summary>How a copy, an export and an import put shaping into their job: one place, the same way.</summary>
public static class ShapedJob
{
    /// <summary>The source to run: <paramref name="source"/> itself when nothing is shaped, else shaped.</summary>
    public static IItemSource Source(IItemSource source, ItemShaper shaper, ShapeRejects rejects, ShapeSettings settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(shaper);
        ArgumentNullException.ThrowIfNull(settings);
        if (!shaper.Active && settings.Transform is null)
        {
            return source;
        }

        Log.Shaping(logger, settings.Describe());
        return new ShapedSource(source, shaper, rejects, settings, logger);
    }

    /// <summary>The summary with the reject file when anything was rejected; a job with a transform cannot be resumed, so it names no checkpoint.</summary>
    public static TransferSummary Finish(TransferSummary summary, ShapeSettings settings, RejectFile rejects)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(rejects);
        return summary with
        {
            RejectFile = summary.Rejected > 0 ? rejects.Path : summary.RejectFile,
            CheckpointFile = settings.Transform is null ? summary.CheckpointFile : null,
        };
    }

    /// <summary>The job identity's options with the shaping added (a checkpoint is resumed only by a job that shapes the same way).</summary>
    public static string? Options(string? options, ShapeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Any)
        {
            return options;
        }

        return options is null ? $"shape {settings.Describe()}" : $"{options}; shape {settings.Describe()}";
    }
}
