using System.CommandLine;

namespace DdbCopy.Cli.Commands;

/// <summary>
/// Which group of --help an option is shown in, by purpose (as rclone's option groups and gh's help do). Every option of
/// every command must be in a group: a test says so.
/// </summary>
internal static class OptionGroups
{
    /// <summary>The groups in the order --help shows them, each with its options' names.</summary>
    public static IReadOnlyList<(string Title, string[] Names)> All { get; } =
    [
        ("Source", ["--sourceTable", "--sourceEndpoint", "--sourceRegion", "--sourceProfile", "--sourceRoleArn", "--sourceExternalId",
            "--from", "--format", "--allowIncompleteExport", "--export"]),
        ("MySQL source", ["--sourceTableName", "--query", "--mysqlPasswordFile", "--keepNulls", "--destinationKey"]),
        ("Table", ["--table", "--endpoint", "--region", "--profile", "--roleArn", "--externalId"]),
        ("Destination", ["--destinationTable", "--destinationEndpoint", "--destinationRegion", "--destinationProfile", "--destinationRoleArn",
            "--destinationExternalId", "--to", "--compression", "--maxFileSizeMb"]),
        ("S3", ["--s3Endpoint", "--s3Region", "--s3Profile", "--s3PartSizeMb"]),
        ("Capacity and rate", ["--readThroughputRatio", "--writeThroughputRatio", "--readCapacityUnits", "--writeCapacityUnits", "--rate",
            "--maxWriteThreads", "--segments", "--consistentScan", "--maxRetries", "--requestTimeoutSeconds", "--boostWriteCapacity"]),
        ("Resume, sections and failures", ["--resume", "--checkpointFile", "--deadLetterFile", "--rejectFile", "--failFast", "--totalSections",
            "--section", "--drainTimeoutSeconds"]),
        ("Follow", ["--follow", "--stopWhenCaughtUp", "--followOnly", "--enableSourceStream", "--conflictAttribute", "--spoolDirectory",
            "--binlog", "--serverId", "--incrementalColumn", "--deletedColumn", "--pollIntervalSeconds", "--overlapSeconds"]),
        ("Table definitions", ["--createDestination", "--recreateDestination", "--yes", "--schemaFile", "--destinationBillingMode",
            "--destinationReadCapacity", "--destinationWriteCapacity", "--destinationKmsKeyId"]),
        ("Rows to items (CSV, MySQL)", ["--column", "--attribute", "--excludeColumns", "--groupBy", "--pivot", "--delimiter"]),
        ("Shaping", ["--filterExpression", "--expressionAttributeNames", "--expressionAttributeValues", "--projectionExpression",
            "--dropAttributes", "--renameAttribute", "--mask", "--maskKeyFile", "--allowKeyChanges", "--transform", "--transformErrors"]),
        ("Verify and repair", ["--diffFile", "--repair", "--deleteExtra"]),
        ("Load", ["--items", "--itemSize", "--rich", "--updatesPerSecond", "--deletesPerSecond", "--duration", "--seed"]),
        ("Plan", ["--dryRun", "--preview", "--readRequestPrice", "--writeRequestPrice"]),
        ("Output", ["--output", "--logFormat", "--metricsListen", "--progressIntervalSeconds", "--verbose", "--quiet", "--help", "--version"]),
    ];

    private static readonly Dictionary<string, int> Index = All
        .SelectMany((group, index) => group.Names.Select(name => (name, index)))
        .ToDictionary(p => p.name, p => p.index, StringComparer.Ordinal);

    /// <summary>The options a command takes (its own and the recursive ones above it), not hidden, in their groups' order.</summary>
    public static IEnumerable<(string Title, IReadOnlyList<Option> Options)> Of(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var options = command.Options
            .Concat(Ancestors(command).SelectMany(c => c.Options.Where(o => o.Recursive)))
            .Where(o => !o.Hidden)
            .DistinctBy(o => o.Name)
            .ToList();
        return options
            .GroupBy(o => Index.TryGetValue(o.Name, out var i) ? i : All.Count)
            .OrderBy(g => g.Key)
            .Select(g => (g.Key < All.Count ? All[g.Key].Title : "Other", (IReadOnlyList<Option>)g
                .OrderBy(o => Array.IndexOf(All[Math.Min(g.Key, All.Count - 1)].Names, o.Name)).ToList()));
    }

    private static IEnumerable<Command> Ancestors(Command command)
    {
        for (var parent = command.Parents.OfType<Command>().FirstOrDefault(); parent is not null; parent = parent.Parents.OfType<Command>().FirstOrDefault())
        {
            yield return parent;
        }
    }
}
