using System.CommandLine;
using DdbCopy.Cli.Commands;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Sources.Files;
using DdbCopy.Core.Storage;

namespace DdbCopy.Tests.Cli;

public sealed class FileCommandsTests
{
    private static ParseResult Parse(string line) => CopyCommand.Create().Parse(line);

    [Fact]
    public void Export_BindsTheTargetCompressionS3AndReadOptions()
    {
        var parse = Parse("export --sourceTable orders --sourceRegion eu-west-1 --to s3://bucket/backups/orders/ --compression ZSTD "
                          + "--maxFileSizeMb 64 --s3PartSizeMb 8 --readCapacityUnits 500 --segments 16");

        Assert.Empty(parse.Errors);
        var settings = FileSettingsBinder.Export(parse);
        Assert.Equal(new S3Location("bucket", "backups/orders"), settings.To);
        Assert.Equal(DataCompression.Zstd, settings.Compression);
        Assert.Equal(64L << 20, settings.MaxFileBytes);
        Assert.Equal(8L << 20, settings.S3PartSizeBytes);
        Assert.Equal("eu-west-1", settings.S3.Endpoint.Region); // S3 defaults to the table side's region.
        Assert.Equal((500d, 16), (settings.ReadUnitsPerSecond!.Value, settings.Segments!.Value));
    }

    [Fact]
    public void Export_WithMistakes_ReportsEachOne()
    {
        var messages = Parse("export --to s3:// --compression lz4 --maxFileSizeMb 0 --s3PartSizeMb 1 --readThroughputRatio 3")
            .Errors.Select(e => e.Message).ToList();

        Assert.Contains("Option '--sourceTable' is required.", messages);
        Assert.Contains(messages, m => m.StartsWith("--to: 's3://' names no bucket", StringComparison.Ordinal));
        Assert.Contains("--compression must be gzip, zstd or none (got 'lz4').", messages);
        Assert.Contains("--maxFileSizeMb must be at least 1 (got 0).", messages);
        Assert.Contains("--s3PartSizeMb must be at least 5, S3's smallest part (got 1).", messages);
        Assert.Contains(messages, m => m.StartsWith("--readThroughputRatio must be greater than 0", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_BindsTheCsvMapping()
    {
        var parse = Parse("import --from orders.csv --destinationTable t --column quantity:n --column ok:BOOL "
                          + "--attribute pk=C#${customerid} --attribute total:N=${amount} --excludeColumns customerid,amount "
                          + "--groupBy pk,sk --pivot productid=quantity --delimiter \\t --failFast --createDestination --destinationBillingMode pay_per_request");

        Assert.Empty(parse.Errors);
        var settings = FileSettingsBinder.Import(parse);
        Assert.Equal(ImportFormat.Auto, settings.Format);
        Assert.Equal("N", settings.Csv.TypeOf("quantity"));
        Assert.Equal("BOOL", settings.Csv.TypeOf("ok"));
        Assert.Equal("S", settings.Csv.TypeOf("other"));
        Assert.Equal(["pk", "total"], settings.Csv.Attributes.Select(a => a.Name));
        Assert.Equal(["amount", "customerid"], settings.Csv.ExcludeColumns.Order());
        Assert.Equal(["pk", "sk"], settings.Csv.GroupBy);
        Assert.Equal(("productid", "quantity"), settings.Csv.Pivot);
        Assert.Equal("\t", settings.Csv.Delimiter);
        Assert.True(settings.FailFast);
        Assert.True(settings.CreateDestination);
        Assert.Equal("PAY_PER_REQUEST", settings.Overrides.BillingMode);
    }
}
