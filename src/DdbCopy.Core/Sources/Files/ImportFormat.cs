namespace DdbCopy.Core.Sources.Files;

/// <summary>How input files are read. Auto: CSV for names ending .csv (compressed or not), DynamoDB JSON lines otherwise.</summary>
public enum ImportFormat
{
    Auto,
    DynamoDbJson,
    Csv,
}
