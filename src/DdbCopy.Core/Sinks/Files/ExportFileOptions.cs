using DdbCopy.Core.Formats;

namespace DdbCopy.Core.Sinks.Files;

/// <summary>How an export writes its data files.</summary>
public sealed record ExportFileOptions
{
    /// <summary>The default bound of one data file, in bytes of JSON before compression.</summary>
    public const long DefaultMaxFileBytes = 256L << 20;

    public DataCompression Compression { get; init; } = DataCompression.Gzip;

    /// <summary>A data file is closed (and uploaded) once it holds this many bytes of JSON.</summary>
    public long MaxFileBytes { get; init; } = DefaultMaxFileBytes;

    /// <summary>Put before every data file's name (a resumed export's run, <c>r2-</c>), so no name of an earlier run is reused.</summary>
    public string FilePrefix { get; init; } = "";

    /// <summary>Data files written at once (each by its own writer, compressing on its own core).</summary>
    public int WriterCount { get; init; } = 2;
}
