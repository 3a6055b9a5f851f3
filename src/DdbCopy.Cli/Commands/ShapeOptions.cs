using System.CommandLine;

namespace DdbCopy.Cli.Commands;

/// <summary>The options that shape items between reading and writing, shared by copy, export and import.</summary>
internal static class ShapeOptions
{
    public static readonly Option<string?> FilterExpression = new("--filterExpression", "--filter-expression")
    {
        Description = "Only items that match this DynamoDB condition are written (a Scan's FilterExpression: filtered-out items still cost read capacity; evaluated by ddbcopy for an import). Counted as 'filtered'.",
    };

    public static readonly Option<string?> ExpressionAttributeNames = new("--expressionAttributeNames", "--expression-attribute-names")
    {
        Description = "JSON of the #placeholders in --filterExpression and --projectionExpression, as the AWS CLI takes it: '{\"#s\":\"status\"}'.",
    };

    public static readonly Option<string?> ExpressionAttributeValues = new("--expressionAttributeValues", "--expression-attribute-values")
    {
        Description = "JSON of the :placeholders in --filterExpression, in DynamoDB JSON as the AWS CLI takes it: '{\":t\":{\"S\":\"acme\"}}'.",
    };

    public static readonly Option<string?> ProjectionExpression = new("--projectionExpression", "--projection-expression")
    {
        Description = "Keep only these attributes (comma-separated paths, #placeholders allowed); the key attributes are always kept.",
    };

    public static readonly Option<string[]> DropAttributes = new("--dropAttributes", "--drop-attributes")
    {
        Description = "Attributes to leave out (comma-separated paths, such as audit,address.geo; repeatable).",
        AllowMultipleArgumentsPerToken = true,
    };

    public static readonly Option<string[]> RenameAttribute = new("--renameAttribute", "--rename-attribute")
    {
        Description = "old=new: write the attribute under another name (repeatable). An item that already has 'new' is rejected; a key attribute needs --allowKeyChanges.",
    };

    public static readonly Option<string[]> Mask = new("--mask")
    {
        Description = "Replace the values at these paths (comma-separated, nested with dots; repeatable) with deterministic keyed stand-ins that keep their format (e-mail, digits, letters). The key: DDBCOPY_MASK_KEY or --maskKeyFile.",
    };

    public static readonly Option<string?> MaskKeyFile = new("--maskKeyFile", "--mask-key-file")
    {
        Description = "File holding the masking key (at least 16 bytes), instead of DDBCOPY_MASK_KEY. Never pass the key itself as a flag.",
    };

    public static readonly Option<bool> AllowKeyChanges = new("--allowKeyChanges", "--allow-key-changes")
    {
        Description = "Allow --mask and --renameAttribute on key attributes (it changes which item is which).",
    };

    public static readonly Option<string?> Transform = new("--transform")
    {
        Description = "A command (run by the shell) that reads item lines ({\"Item\":{...}}) on stdin and writes zero or more item lines for each on stdout, such as jq -c. Its stderr goes to the log. A job with --transform cannot be resumed.",
    };

    public static readonly Option<string> TransformErrors = new("--transformErrors", "--transform-errors")
    {
        Description = "What a --transform output line that is not an item does: stop (the run stops) or reject (recorded in the reject file, the run goes on).",
        DefaultValueFactory = _ => "stop",
    };

    public static readonly Option<int?> Preview = new("--preview")
    {
        Description = "With --dryRun: show the first N items as they would be written (filtered, shaped, masked, transformed).",
    };

    /// <summary>Every shaping option, for copy and export (which also take the reject file).</summary>
    public static IEnumerable<Option> All =>
    [
        FilterExpression, ExpressionAttributeNames, ExpressionAttributeValues, ProjectionExpression, DropAttributes, RenameAttribute, Mask, MaskKeyFile,
        AllowKeyChanges, Transform, TransformErrors,
    ];
}
