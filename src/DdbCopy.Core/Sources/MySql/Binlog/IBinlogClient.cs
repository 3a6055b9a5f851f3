namespace DdbCopy.Core.Sources.MySql.Binlog;

/// <summary>A place in the binary log: a file and the offset of the next event to read in it.</summary>
public sealed record BinlogPosition(string File, ulong Offset)
{
    public override string ToString() => $"{File}:{Offset.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>Reads a server's binary log from a position, as a replica does: the seam between a follower and the wire.</summary>
public interface IBinlogClient
{
    /// <summary>The events from <paramref name="from"/> on, the first being a rotate event naming the file.</summary>
    /// <param name="toEnd">End at the last event written (else wait for more, with a heartbeat every second when there is none).</param>
    /// <exception cref="BinlogServerException">The server refused (privileges, a purged position).</exception>
    /// <exception cref="BinlogFormatException">An event that cannot be read or followed.</exception>
    /// <exception cref="IOException">The connection was lost.</exception>
    IAsyncEnumerable<BinlogEvent> ReadAsync(BinlogPosition from, bool toEnd, CancellationToken cancellationToken);
}
