using DdbCopy.Cli.Commands;
using DdbCopy.Core.MySql;

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
    public void MySqlFlags_WithAFileSource_AreRefused()
    {
        var files = CopyCommand.Create().Parse(["import", "--from", "data.jsonl", "--destinationTable", "t", "--sourceTableName", "a"]);

        Assert.Contains(files.Errors, e => e.Message == "--sourceTableName only applies with --from mysql://USER@HOST:PORT/DATABASE.");
    }

    [Fact]
    public void Import_FromMySql_BindsWhatToRead_WithThePasswordFromAFile()
    {
        var password = Path.GetTempFileName();
        File.WriteAllText(password, "s3cret\n");
        try
        {
            var parse = CopyCommand.Create().Parse(["import", "--from", "mysql://app@db:3307/shop", "--destinationTable", "t", "--sourceTableName", "orders",
                "--segments", "8", "--keepNulls", "--mysqlPasswordFile", password]);

            Assert.Empty(parse.Errors);
            var settings = FileSettingsBinder.Import(parse);
            Assert.IsType<MySqlLocation>(settings.From);
            var read = settings.MySql!;
            Assert.Equal(("orders", 8, true, "s3cret"), (read.Table, read.Segments!.Value, read.KeepNulls, read.Password));
        }
        finally
        {
            File.Delete(password);
        }
    }
}
