using System.CommandLine;

namespace DdbCopy.Cli.Commands;

/// <summary>Options of `ddbcopy import` beyond the destination and write options it shares with the copy.</summary>
internal static class ImportOptions
{
    public static readonly Option<string> From = new("--from")
    {
        Description = "A file of DynamoDB JSON lines ({\"Item\":{...}} or bare items, plain or gzip), such as a dead-letter file (required).",
    };

    public static IEnumerable<Option> All =>
    [
        From,
        CopyOptions.DestinationEndpoint, CopyOptions.DestinationTable, CopyOptions.DestinationRegion, CopyOptions.DestinationProfile,
        CopyOptions.DestinationRoleArn, CopyOptions.DestinationExternalId,
        CopyOptions.WriteThroughputRatio, CopyOptions.WriteCapacityUnits, CopyOptions.MaxWriteThreads, CopyOptions.MaxRetries,
        CopyOptions.DeadLetterFile, CopyOptions.Output, CopyOptions.Verbose, CopyOptions.Quiet,
    ];
}
