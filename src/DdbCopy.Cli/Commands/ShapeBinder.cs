using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Formats;
using DdbCopy.Core.Shaping;

namespace DdbCopy.Cli.Commands;

/// <summary>Checks the shaping options (every problem, one line each) and turns them into <see cref="ShapeSettings"/>.</summary>
internal static class ShapeBinder
{
    /// <summary>The environment variable that holds the masking key.</summary>
    public const string MaskKeyVariable = "DDBCOPY_MASK_KEY";

    private const int MinimumKeyBytes = 16;

    public static void Validate(CommandResult result)
    {
        CopyOnly(result);
        var names = Try(() => Names(Value(result, ShapeOptions.ExpressionAttributeNames)), result);
        var values = Try(() => Values(Value(result, ShapeOptions.ExpressionAttributeValues)), result);
        Try(() => Renames(Value(result, ShapeOptions.RenameAttribute) ?? []), result);
        if (Value(result, ShapeOptions.FilterExpression) is { } filter)
        {
            Try(() => FilterExpression.Parse(filter, names, values), result, "--filterExpression: ");
        }

        if (Value(result, ShapeOptions.ProjectionExpression) is { } projection)
        {
            Try(() => projection.Split(',').Select(p => AttributePath.Parse(p.Trim(), names)).ToList(), result, "--projectionExpression: ");
        }

        foreach (var path in List(Value(result, ShapeOptions.DropAttributes)).Concat(List(Value(result, ShapeOptions.Mask))))
        {
            Try(() => AttributePath.Parse(path), result);
        }

        if (List(Value(result, ShapeOptions.Mask)).Count > 0)
        {
            Try(() => MaskKey(Value(result, ShapeOptions.MaskKeyFile)), result);
        }
        else if (Value(result, ShapeOptions.MaskKeyFile) is not null)
        {
            result.AddError("--maskKeyFile only applies with --mask.");
        }

        if (Value(result, ShapeOptions.TransformErrors)?.ToLowerInvariant() is { } errors && errors is not ("stop" or "reject"))
        {
            result.AddError($"--transformErrors must be stop or reject, not '{errors}'.");
        }

        var transform = Value(result, ShapeOptions.Transform);
        if (transform is not null && string.IsNullOrWhiteSpace(transform))
        {
            result.AddError("--transform needs a command.");
        }
        else if (transform is not null && CopyValidation.TryGet(result, CopyOptions.Resume, out var resume) && resume)
        {
            result.AddError("--resume with --transform: a transform's output cannot be matched to its input, so a job with --transform keeps no position to resume from; run it again without --resume.");
        }
    }

    /// <summary>Copy-only: --preview needs --dryRun; --follow does not shape the stream's changes yet, so it takes no shaping.</summary>
    private static void CopyOnly(CommandResult result)
    {
        if (CopyValidation.TryGet(result, ShapeOptions.Preview, out var preview)
            && !(CopyValidation.TryGet(result, CopyOptions.DryRun, out var dry) && dry))
        {
            result.AddError("--preview only applies with --dryRun.");
        }
        else if (preview is < 1 or > 1000)
        {
            result.AddError("--preview must be from 1 to 1000 items.");
        }

        if (CopyValidation.TryGet(result, CopyOptions.Follow, out var follow) && follow
            && ShapeOptions.All.FirstOrDefault(o => result.GetResult(o) is { Implicit: false }) is { } shaping)
        {
            result.AddError($"{shaping.Name} with --follow: the stream's changes are not shaped, so the destination would get some items shaped and some not; copy without --follow.");
        }
    }

    public static ShapeSettings Bind(ParseResult parse)
    {
        var mask = List(parse.GetValue(ShapeOptions.Mask));
        return new ShapeSettings
        {
            FilterExpression = Text(parse.GetValue(ShapeOptions.FilterExpression)),
            Names = Names(parse.GetValue(ShapeOptions.ExpressionAttributeNames)),
            Values = Values(parse.GetValue(ShapeOptions.ExpressionAttributeValues)),
            ProjectionExpression = Text(parse.GetValue(ShapeOptions.ProjectionExpression)),
            DropAttributes = List(parse.GetValue(ShapeOptions.DropAttributes)),
            Renames = Renames(parse.GetValue(ShapeOptions.RenameAttribute) ?? []),
            MaskPaths = mask,
            MaskKey = mask.Count > 0 ? MaskKey(parse.GetValue(ShapeOptions.MaskKeyFile)) : null,
            AllowKeyChanges = parse.GetValue(ShapeOptions.AllowKeyChanges),
            Transform = Text(parse.GetValue(ShapeOptions.Transform)),
            RejectTransformErrors = string.Equals(parse.GetValue(ShapeOptions.TransformErrors), "reject", StringComparison.OrdinalIgnoreCase),
        };
    }

    private static Dictionary<string, string>? Names(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = Parse(json, "--expressionAttributeNames");
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (!property.Name.StartsWith('#') || property.Value.ValueKind != JsonValueKind.String)
            {
                throw new FormatException($"--expressionAttributeNames: '{property.Name}' must start with # and name an attribute in a string, as in '{{\"#s\":\"status\"}}'.");
            }

            names[property.Name] = property.Value.GetString()!;
        }

        return names;
    }

    private static Dictionary<string, AttributeValue>? Values(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = Parse(json, "--expressionAttributeValues");
        try
        {
            var values = DynamoDbJson.ReadItem(document.RootElement, "");
            return values.Keys.FirstOrDefault(k => !k.StartsWith(':')) is { } bad
                ? throw new FormatException($"--expressionAttributeValues: '{bad}' must start with ':'.")
                : values;
        }
        catch (FormatException ex) when (!ex.Message.StartsWith("--", StringComparison.Ordinal))
        {
            throw new FormatException($"--expressionAttributeValues: {ex.Message} (DynamoDB JSON, as in '{{\":t\":{{\"S\":\"acme\"}}}}').", ex);
        }
    }

    private static JsonDocument Parse(string json, string option)
    {
        try
        {
            var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
        }
        catch (JsonException)
        {
        }

        throw new FormatException($"{option} is not a JSON object.");
    }

    private static List<AttributeRename> Renames(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(v =>
        {
            var parts = v.Split('=', StringSplitOptions.TrimEntries);
            return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0
                ? new AttributeRename(parts[0], parts[1])
                : throw new FormatException($"--renameAttribute '{v}': expected old=new.");
        }).ToList();

    /// <summary>The masking key: the file's bytes (a final line break left out), else the environment variable's text.</summary>
    private static byte[] MaskKey(string? file)
    {
        byte[] key;
        if (file is not null)
        {
            try
            {
                key = File.ReadAllBytes(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new FormatException($"--maskKeyFile: cannot read {file}: {ex.Message}", ex);
            }

            var end = key.Length;
            while (end > 0 && key[end - 1] is (byte)'\n' or (byte)'\r')
            {
                end--;
            }

            key = key[..end];
        }
        else
        {
            var text = Environment.GetEnvironmentVariable(MaskKeyVariable);
            key = string.IsNullOrEmpty(text)
                ? throw new FormatException($"--mask needs a key: set {MaskKeyVariable} or pass --maskKeyFile (never the key itself as a flag, where the process list shows it).")
                : Encoding.UTF8.GetBytes(text);
        }

        return key.Length >= MinimumKeyBytes
            ? key
            : throw new FormatException($"The masking key is {key.Length} bytes: use at least {MinimumKeyBytes} (a short key can be guessed), such as the output of 'openssl rand -hex 32'.");
    }

    private static List<string> List(IEnumerable<string>? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static T? Value<T>(CommandResult result, Option<T> option) =>
        CopyValidation.TryGet(result, option, out var value) ? value : default;

    private static T? Try<T>(Func<T> parse, CommandResult result, string prefix = "")
    {
        try
        {
            return parse();
        }
        catch (FormatException ex)
        {
            result.AddError(prefix + ex.Message);
            return default;
        }
    }
}
