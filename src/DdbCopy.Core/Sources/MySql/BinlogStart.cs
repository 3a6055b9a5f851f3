using System.Globalization;
using DdbCopy.Core.Aws;
using DdbCopy.Core.Sources.MySql.Binlog;
using MySqlConnector;

namespace DdbCopy.Core.Sources.MySql;

/// <summary>
/// The checks made before a load followed by --binlog writes anything, each refusal naming its fix: the binary log on,
/// in row format with full row images, the user allowed to ask where it stands (REPLICATION CLIENT) and to read it
/// (REPLICATION SLAVE, tried by reading it), a replica id that is not the server's, and, when resuming, the position
/// still in the log. Gives the position to follow from.
/// </summary>
public static class BinlogStart
{
    /// <param name="resumeFrom">An earlier run's position (checked to be still in the log), or null to take the log's end now.</param>
    /// <exception cref="DdbCopyException">A check failed (the message says what to change).</exception>
    public static async Task<BinlogPosition> CheckAsync(MySqlDatabase database, IBinlogClient client, uint serverId, BinlogPosition? resumeFrom,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(client);
        var where = database.Location.ToString();
        await using var connection = await database.OpenAsync(cancellationToken);
        var (logOn, format, image, ownId) = await VariablesAsync(connection, cancellationToken);
        if (!logOn)
        {
            throw Refused($"The binary log is off on {where}: --binlog reads it. Start the server with --log-bin (on RDS and Aurora MySQL: a backup retention period above 0, or binlog_format set in the cluster parameter group), or follow with --incrementalColumn.");
        }

        if (!format.Equals("ROW", StringComparison.OrdinalIgnoreCase))
        {
            throw Refused($"binlog_format is {format} on {where}: --binlog needs ROW (each row's images). Set binlog_format=ROW (SET GLOBAL binlog_format = 'ROW', or the DB parameter group on RDS/Aurora) and start again.");
        }

        if (!image.Equals("FULL", StringComparison.OrdinalIgnoreCase))
        {
            throw Refused($"binlog_row_image is {image} on {where}: --binlog needs FULL (every column of every changed row). Set binlog_row_image=FULL and start again.");
        }

        if (ownId == serverId)
        {
            throw Refused($"--serverId {serverId} is the id of the server {where} itself: give another (every replica's id must differ from the server's).");
        }

        var position = resumeFrom ?? await EndAsync(connection, where, cancellationToken);
        if (resumeFrom is not null)
        {
            await CheckStillThereAsync(connection, resumeFrom, where, cancellationToken);
        }

        await TryReadingAsync(client, position, where, cancellationToken);
        return position;
    }

    /// <summary>A server's refusal while reading, as a message naming the fix.</summary>
    public static DdbCopyException Explain(BinlogServerException ex, string where, BinlogPosition position)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.Code switch
        {
            1227 or 1044 => Refused($"The user may not read the binary log of {where} ({ex.Message}): grant it REPLICATION SLAVE, REPLICATION CLIENT ON *.* (and SELECT on the table)."),
            1045 => Refused($"{where} refused the user: {ex.Message}"),
            1236 => Refused($"The binary log of {where} no longer holds {position} ({ex.Message}): it was purged. Run the import again without --resume (a new full load), and keep the binary log longer (binlog_expire_logs_seconds; on RDS: CALL mysql.rds_set_configuration('binlog retention hours', 24))."),
            _ => new DdbCopyException(FailureKind.CopyFailed, $"Reading the binary log of {where} at {position} failed: {ex.Message} (error {ex.Code})", ex),
        };
    }

    private static async Task<(bool LogOn, string Format, string Image, uint ServerId)> VariablesAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand("SELECT @@global.log_bin, @@global.binlog_format, @@global.binlog_row_image, @@global.server_id", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture) != 0, reader.GetString(1), reader.GetString(2),
            Convert.ToUInt32(reader.GetValue(3), CultureInfo.InvariantCulture));
    }

    /// <summary>The end of the binary log now (SHOW MASTER STATUS; SHOW BINARY LOG STATUS on MySQL 8.4 and later).</summary>
    private static async Task<BinlogPosition> EndAsync(MySqlConnection connection, string where, CancellationToken cancellationToken)
    {
        foreach (var sql in new[] { "SHOW MASTER STATUS", "SHOW BINARY LOG STATUS" })
        {
            try
            {
                await using var command = new MySqlCommand(sql, connection);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                return await reader.ReadAsync(cancellationToken)
                    ? new BinlogPosition(reader.GetString(0), Convert.ToUInt64(reader.GetValue(1), CultureInfo.InvariantCulture))
                    : throw Refused($"{where} says it writes no binary log ({sql} is empty): start it with --log-bin.");
            }
            catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.ParseError && sql == "SHOW MASTER STATUS")
            {
                // MySQL 8.4 has only the new name
            }
            catch (MySqlException ex) when (ex.Number is 1227 or 1044 or 1045)
            {
                throw Refused($"The user may not ask where the binary log of {where} stands ({ex.Message}): grant it REPLICATION SLAVE, REPLICATION CLIENT ON *.* (MariaDB 10.5 and later: BINLOG MONITOR is the new name of REPLICATION CLIENT).");
            }
        }

        throw Refused($"{where} answers neither SHOW MASTER STATUS nor SHOW BINARY LOG STATUS.");
    }

    private static async Task CheckStillThereAsync(MySqlConnection connection, BinlogPosition position, string where, CancellationToken cancellationToken)
    {
        var files = new List<string>();
        await using var command = new MySqlCommand("SHOW BINARY LOGS", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            files.Add(reader.GetString(0));
        }

        if (!files.Contains(position.File, StringComparer.Ordinal))
        {
            throw Refused($"The binary log of {where} no longer holds {position}: it was purged (the earliest it has is {(files.Count > 0 ? files[0] + ":4" : "nothing")}). "
                + "Run the import again without --resume (a new full load), and keep the binary log longer (binlog_expire_logs_seconds; on RDS: CALL mysql.rds_set_configuration('binlog retention hours', 24)).");
        }
    }

    /// <summary>Reads the log from the position to its end, which needs REPLICATION SLAVE and a position the log holds.</summary>
    private static async Task TryReadingAsync(IBinlogClient client, BinlogPosition position, string where, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in client.ReadAsync(position, toEnd: true, cancellationToken))
            {
                break; // the first event is enough: the server let the user read from here
            }
        }
        catch (BinlogServerException ex)
        {
            throw Explain(ex, where, position);
        }
        catch (Exception ex) when (ex is IOException or BinlogFormatException)
        {
            throw new DdbCopyException(FailureKind.Environment, $"Reading the binary log of {where} at {position} failed: {ex.Message}", ex);
        }
    }

    private static DdbCopyException Refused(string message) => new(FailureKind.Environment, message);
}
