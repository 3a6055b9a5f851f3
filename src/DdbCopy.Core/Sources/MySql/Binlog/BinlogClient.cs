using System.Globalization;
using System.Runtime.CompilerServices;

namespace DdbCopy.Core.Sources.MySql.Binlog;

/// <summary>
/// The binary log over a <see cref="BinlogConnection"/>: asks for events with checksums as the server writes them,
/// MariaDB's GTID events (capability 4), and a heartbeat every second while there is nothing new; parses them with a
/// <see cref="BinlogEventParser"/>.
/// </summary>
/// <param name="serverId">The replica id this reader uses: it must differ from every server's and replica's id.</param>
public sealed class BinlogClient(BinlogConnectionOptions options, uint serverId) : IBinlogClient
{
    /// <summary>The one table whose rows are wanted (see <see cref="BinlogEventParser.Only"/>); null for every table.</summary>
    public (string Database, string Table)? Only { get; init; }

    public async IAsyncEnumerable<BinlogEvent> ReadAsync(BinlogPosition from, bool toEnd, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        await using var connection = await BinlogConnection.OpenAsync(options, cancellationToken);
        await connection.ExecuteAsync("SET @master_binlog_checksum = @@global.binlog_checksum", cancellationToken);
        await connection.ExecuteAsync("SET @mariadb_slave_capability = 4", cancellationToken);
        await connection.ExecuteAsync(string.Create(CultureInfo.InvariantCulture, $"SET @master_heartbeat_period = {1_000_000_000}"), cancellationToken);
        await connection.StartDumpAsync(from.File, checked((uint)from.Offset), serverId, blocking: !toEnd, cancellationToken);
        var parser = new BinlogEventParser { Only = Only };
        while (await connection.ReadEventAsync(cancellationToken) is { } data)
        {
            if (parser.Parse(data) is { } parsed)
            {
                yield return parsed;
            }
        }
    }
}
