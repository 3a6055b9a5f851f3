using System.CommandLine;
using System.CommandLine.Parsing;
using DdbCopy.Core.Jobs.Importing;
using DdbCopy.Core.Sources.MySql;
using DdbCopy.Core.Storage;

namespace DdbCopy.Cli.Commands;

/// <summary>Checks the MySQL options of an import (every problem, one line each) and binds them.</summary>
internal static class MySqlBinder
{
    public static void Validate(CommandResult result)
    {
        var from = CopyValidation.TryGet(result, ImportOptions.From, out var value) ? value : null;
        var mysql = from is not null && ImportFrom.TryParse(from, out _) is MySqlLocation;
        var given = MySqlOptions.All.Where(o => result.GetResult(o) is { Implicit: false }).ToList();
        if (!mysql)
        {
            given.ForEach(o => result.AddError($"{o.Name} only applies with --from mysql://USER@HOST:PORT/DATABASE."));
            return;
        }

        var table = Given(result, MySqlOptions.SourceTableName);
        var query = Given(result, MySqlOptions.Query);
        if ((table is null) == (query is null))
        {
            result.AddError("--from mysql://... needs either --sourceTableName or --query (one of them).");
        }

        if (query is not null && CopyValidation.TryGet(result, MySqlOptions.Segments, out _))
        {
            result.AddError("--segments applies to --sourceTableName (a query is read as one range).");
        }

        if (CopyValidation.TryGet(result, MySqlOptions.Segments, out var segments) && segments is < 1 or > MySqlReadPlan.MaxRanges)
        {
            result.AddError($"--segments must be from 1 to {MySqlReadPlan.MaxRanges}.");
        }

        if (Given(result, MySqlOptions.DestinationKey) is { } key)
        {
            try
            {
                DestinationKey(key);
            }
            catch (FormatException ex)
            {
                result.AddError(ex.Message);
            }

            if (!(CopyValidation.TryGet(result, ImportOptions.CreateDestination, out var create) && create))
            {
                result.AddError("--destinationKey only applies with --createDestination.");
            }
        }

        var follow = CopyValidation.TryGet(result, MySqlOptions.Follow, out var on) && on;
        var binlog = CopyValidation.TryGet(result, MySqlOptions.Binlog, out var log) && log;
        foreach (var option in new Option[] { MySqlOptions.Binlog, MySqlOptions.StopWhenCaughtUp, MySqlOptions.IncrementalColumn, MySqlOptions.DeletedColumn, MySqlOptions.PollIntervalSeconds, MySqlOptions.OverlapSeconds })
        {
            if (!follow && result.GetResult(option) is { Implicit: false })
            {
                result.AddError($"{option.Name} only applies with --follow.");
            }
        }

        if (!binlog && result.GetResult(MySqlOptions.ServerId) is { Implicit: false })
        {
            result.AddError("--serverId only applies with --binlog.");
        }

        if (CopyValidation.TryGet(result, MySqlOptions.ServerId, out var serverId) && serverId == 0)
        {
            result.AddError("--serverId must be from 1 to 4294967295 (0 is no replica's id).");
        }

        if (binlog)
        {
            if (query is not null)
            {
                result.AddError("--binlog follows a table's rows: give --sourceTableName (a --query's rows cannot be told apart in the binary log).");
            }

            foreach (var polling in new Option[] { MySqlOptions.IncrementalColumn, MySqlOptions.DeletedColumn, MySqlOptions.PollIntervalSeconds, MySqlOptions.OverlapSeconds }
                         .Where(o => result.GetResult(o) is { Implicit: false }))
            {
                result.AddError($"{polling.Name} is for following by polling; --binlog reads every change (hard deletes too) from the binary log: give one of them.");
            }
        }
        else if (follow && Given(result, MySqlOptions.IncrementalColumn) is null)
        {
            result.AddError("--follow with a database needs --binlog (the server's binary log: every insert, update and delete) or --incrementalColumn (the column every insert and update sets, such as updated_at).");
        }

        // A poll sees a changed row, never the rows of its group that did not change, nor the group a row left: writing the
        // group's item from the changed rows alone would drop the others' attributes (silent loss), so it is refused.
        foreach (var grouping in new Option[] { ImportOptions.GroupBy, ImportOptions.Pivot }.Where(o => follow && result.GetResult(o) is { Implicit: false }))
        {
            result.AddError($"{grouping.Name} cannot be used with --follow: a poll reads the rows that changed, not the whole group, and would write the item "
                + "without the other rows' attributes. Load the grouped items without --follow (run the load again to refresh them), or follow without grouping.");
        }

        if (CopyValidation.TryGet(result, MySqlOptions.PollIntervalSeconds, out var poll) && poll is <= 0 or > 3600)
        {
            result.AddError("--pollIntervalSeconds must be above 0 and at most 3600.");
        }

        if (CopyValidation.TryGet(result, MySqlOptions.OverlapSeconds, out var overlap) && overlap is < 0 or > 86400)
        {
            result.AddError("--overlapSeconds must be from 0 to 86400.");
        }

        try
        {
            Password(CopyValidation.TryGet(result, MySqlOptions.PasswordFile, out var file) ? file : null);
        }
        catch (FormatException ex)
        {
            result.AddError(ex.Message);
        }
    }

    /// <summary>The MySQL settings of an import from mysql://, else null.</summary>
    public static MySqlReadSettings? Bind(ParseResult parse, StorageLocation from)
    {
        if (from is not MySqlLocation)
        {
            return null;
        }

        return new MySqlReadSettings
        {
            Table = Text(parse.GetValue(MySqlOptions.SourceTableName)),
            Query = Text(parse.GetValue(MySqlOptions.Query)),
            Password = Password(parse.GetValue(MySqlOptions.PasswordFile)),
            Segments = parse.GetValue(MySqlOptions.Segments),
            KeepNulls = parse.GetValue(MySqlOptions.KeepNulls),
            DestinationKey = Text(parse.GetValue(MySqlOptions.DestinationKey)) is { } key ? DestinationKey(key) : null,
            Binlog = parse.GetValue(MySqlOptions.Follow) && parse.GetValue(MySqlOptions.Binlog)
                ? new BinlogFollowSettings
                {
                    ServerId = parse.GetValue(MySqlOptions.ServerId) ?? (uint)Random.Shared.NextInt64(1_000_000_000, uint.MaxValue),
                    StopWhenCaughtUp = parse.GetValue(MySqlOptions.StopWhenCaughtUp),
                }
                : null,
            Follow = parse.GetValue(MySqlOptions.Follow) && !parse.GetValue(MySqlOptions.Binlog)
                ? new MySqlFollowSettings
                {
                    IncrementalColumn = parse.GetValue(MySqlOptions.IncrementalColumn)!.Trim(),
                    DeletedColumn = Text(parse.GetValue(MySqlOptions.DeletedColumn))?.Trim(),
                    StopWhenCaughtUp = parse.GetValue(MySqlOptions.StopWhenCaughtUp),
                    PollInterval = TimeSpan.FromSeconds(parse.GetValue(MySqlOptions.PollIntervalSeconds)),
                    Overlap = TimeSpan.FromSeconds(parse.GetValue(MySqlOptions.OverlapSeconds)),
                }
                : null,
        };
    }

    /// <summary>--destinationKey pk[:S][,sk[:S]]: a partition key and an optional sort key.</summary>
    private static List<Core.Schema.KeyAttribute> DestinationKey(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 1 or > 2)
        {
            throw new FormatException($"--destinationKey '{text}': give a partition key and at most a sort key, as pk:S,sk:S.");
        }

        return parts.Select((part, i) =>
        {
            var pieces = part.Split(':', StringSplitOptions.TrimEntries);
            var type = pieces.Length > 1 ? pieces[1].ToUpperInvariant() : "S";
            return pieces[0].Length > 0 && pieces.Length <= 2 && type is "S" or "N" or "B"
                ? new Core.Schema.KeyAttribute(pieces[0], i == 0 ? "HASH" : "RANGE", type)
                : throw new FormatException($"--destinationKey '{part}': expected NAME or NAME:TYPE with TYPE S, N or B.");
        }).ToList();
    }

    /// <summary>The password: the file's first line, else MYSQL_PWD, else none.</summary>
    private static string? Password(string? file)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            return Environment.GetEnvironmentVariable(MySqlOptions.PasswordVariable);
        }

        try
        {
            return File.ReadAllText(file).Split('\n')[0].TrimEnd('\r');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"--mysqlPasswordFile: cannot read {file}: {ex.Message}", ex);
        }
    }

    private static string? Given(CommandResult result, Option<string?> option) =>
        CopyValidation.TryGet(result, option, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
