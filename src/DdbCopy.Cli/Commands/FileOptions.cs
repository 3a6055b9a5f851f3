using System.CommandLine;
using DdbCopy.Core.Sinks.Files;
using DdbCopy.Core.Storage;

namespace DdbCopy.Cli.Commands;

/// <summary>Options of `ddbcopy export` and `ddbcopy import` that the copy does not have: files, S3, CSV mapping.</summary>
internal static class FileOptions
{
    public static readonly Option<string> To = new("--to")
    {
        Description = "Where to export: an empty local folder, or s3://bucket/prefix (required).",
    };

    public static readonly Option<string?> Export = new("--export")
    {
        Description = "`ddbcopy finish --export FOLDER|s3://bucket/prefix`: once every section of an export in sections ended, write the manifest of the whole export (the last section to end does it itself).",
    };

    public static readonly Option<string> Compression = new("--compression")
    {
        Description = "Compression of the data files: gzip (as AWS's own exports), zstd or none.",
        DefaultValueFactory = _ => "gzip",
    };

    public static readonly Option<int> MaxFileSizeMb = new("--maxFileSizeMb", "--max-file-size-mb")
    {
        Description = "A data file is closed and a new one started once it holds this many MiB of JSON (before compression).",
        DefaultValueFactory = _ => (int)(ExportFileOptions.DefaultMaxFileBytes >> 20),
    };

    public static readonly Option<string?> S3Endpoint = new("--s3Endpoint", "--s3-endpoint")
    {
        Description = "S3 endpoint URL, for an S3-compatible server or a VPC endpoint (buckets are then addressed by path). Default: the region's S3.",
    };

    public static readonly Option<string?> S3Region = new("--s3Region", "--s3-region")
    {
        Description = "Region of the bucket. Default: the table side's region (from --sourceRegion/--destinationRegion or the endpoint), else the profile or AWS_REGION.",
    };

    public static readonly Option<string?> S3Profile = new("--s3Profile", "--s3-profile")
    {
        Description = "Named AWS profile for S3. Default: the table side's profile, else the SDK's credential chain.",
    };

    public static readonly Option<int> S3PartSizeMb = new("--s3PartSizeMb", "--s3-part-size-mb")
    {
        Description = "Size of the parts of a multipart upload, in MiB (5 or more); files larger than one part are uploaded in parts.",
        DefaultValueFactory = _ => (int)(FileStores.DefaultPartSizeBytes >> 20),
    };

    public static IEnumerable<Option> S3 => [S3Endpoint, S3Region, S3Profile];
}
