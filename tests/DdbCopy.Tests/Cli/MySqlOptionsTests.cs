using DdbCopy.Cli.Commands;
using DdbCopy.Core.Sources.MySql;

namespace DdbCopy.Tests.Cli;

public sealed class MySqlOptionsTests
{
    [Fact]
    public void Import_FromMySql_WithMistakes_ReportsEachOne()
    {
        var parse = CopyCommand.Create().Parse(["import", "--from", "mysql://app@db/shop", "--destinationTable", "t", "--sourceTableName", "a", "--query", "SELECT 1",
            "--segments", "0"]);

        var errors = parse.Errors.Select(e => e.Message).ToList();
        Assert.Contains("--from mysql://... needs either --sourceTableName or --query (one of them).", errors);
        Assert.Contains("--segments applies to --sourceTableName (a query is read as one range).", errors);
    }

    [Fact]
    public void MySqlFlags_WithAFileSource_AreRefused_AndFollowNeedsTheBinaryLogOrAnIncrementalColumn()
    {
        var files = CopyCommand.Create().Parse(["import", "--from", "data.jsonl", "--destinationTable", "t", "--sourceTableName", "a"]);
        var follow = CopyCommand.Create().Parse(["import", "--from", "mysql://app@db/shop", "--destinationTable", "t", "--sourceTableName", "a", "--follow"]);
        var notFollowing = CopyCommand.Create().Parse(["import", "--from", "mysql://app@db/shop", "--destinationTable", "t", "--sourceTableName", "a",
            "--deletedColumn", "gone"]);

        Assert.Contains(files.Errors, e => e.Message == "--sourceTableName only applies with --from mysql://USER@HOST:PORT/DATABASE.");
        Assert.Contains(follow.Errors, e => e.Message.StartsWith("--follow with a database needs --binlog (", StringComparison.Ordinal)
            && e.Message.Contains("or --incrementalColumn", StringComparison.Ordinal));
        Assert.Contains(notFollowing.Errors, e => e.Message == "--deletedColumn only applies with --follow.");
    }

    [Fact]
    public void Import_FromMySql_BindsWhatToReadAndHowToFollow_WithThePasswordFromAFile()
    {
        var password = Path.GetTempFileName();
        File.WriteAllText(password, "s3cret\n");
        try
        {
            var parse = CopyCommand.Create().Parse(["import", "--from", "mysql://app@db:3307/shop", "--destinationTable", "t", "--sourceTableName", "orders",
                "--segments", "8", "--keepNulls", "--mysqlPasswordFile", password, "--follow", "--incrementalColumn", "updated_at", "--deletedColumn", "is_deleted",
                "--pollIntervalSeconds", "2", "--stopWhenCaughtUp"]);

            Assert.Empty(parse.Errors);
            var settings = FileSettingsBinder.Import(parse);
            Assert.IsType<MySqlLocation>(settings.From);
            var read = settings.MySql!;
            Assert.Equal(("orders", 8, true, "s3cret"), (read.Table, read.Segments!.Value, read.KeepNulls, read.Password));
            Assert.Equal(("updated_at", "is_deleted", true, TimeSpan.FromSeconds(2)),
                (read.Follow!.IncrementalColumn, read.Follow.DeletedColumn, read.Follow.StopWhenCaughtUp, read.Follow.PollInterval));
        }
        finally
        {
            File.Delete(password);
        }
    }

    [Fact]
    public void Binlog_BindsAReplicaId_AndRefusesWhatPollingTakes_AQuery_AndServerIdZero()
    {
        string[] common = ["import", "--from", "mysql://app@db/shop", "--destinationTable", "t"];
        var bound = CopyCommand.Create().Parse([.. common, "--sourceTableName", "orders", "--follow", "--binlog", "--serverId", "1234", "--stopWhenCaughtUp"]);
        var random = CopyCommand.Create().Parse([.. common, "--sourceTableName", "orders", "--follow", "--binlog"]);
        var mixed = CopyCommand.Create().Parse([.. common, "--query", "SELECT 1", "--follow", "--binlog", "--incrementalColumn", "u", "--serverId", "0"]);
        var notFollowing = CopyCommand.Create().Parse([.. common, "--sourceTableName", "orders", "--binlog"]);
        var polling = CopyCommand.Create().Parse([.. common, "--sourceTableName", "orders", "--follow", "--incrementalColumn", "u", "--serverId", "5"]);

        Assert.Empty(bound.Errors);
        var read = FileSettingsBinder.Import(bound).MySql!;
        Assert.Null(read.Follow);
        Assert.Equal((1234u, true), (read.Binlog!.ServerId, read.Binlog.StopWhenCaughtUp));
        Assert.InRange(FileSettingsBinder.Import(random).MySql!.Binlog!.ServerId, 1_000_000_000u, uint.MaxValue);
        var errors = mixed.Errors.Select(e => e.Message).ToList();
        Assert.Contains(errors, e => e.StartsWith("--binlog follows a table's rows: give --sourceTableName", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("--incrementalColumn is for following by polling; --binlog reads every change", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("--serverId must be from 1", StringComparison.Ordinal));
        Assert.Contains(notFollowing.Errors, e => e.Message == "--binlog only applies with --follow.");
        Assert.Contains(polling.Errors, e => e.Message == "--serverId only applies with --binlog.");
    }
}
