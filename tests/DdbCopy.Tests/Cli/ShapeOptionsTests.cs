using System.CommandLine;
using DdbCopy.Cli.Commands;

namespace DdbCopy.Tests.Cli;

public sealed class ShapeOptionsTests
{
    private static ParseResult Parse(string line) => CopyCommand.Create().Parse(line);

    [Fact]
    public void Shaping_WithMistakes_ReportsEachOneBeforeAnythingRuns()
    {
        var parse = CopyCommand.Create().Parse(["--sourceTable", "a", "--destinationTable", "b", "--filterExpression", "#t = :v", "--expressionAttributeValues",
            """{"v":1}""", "--renameAttribute", "nope", "--transform", "jq -c .", "--resume", "--follow", "--preview", "3", "--transformErrors", "maybe"]);

        var errors = parse.Errors.Select(e => e.Message).ToList();
        Assert.Contains(errors, e => e.StartsWith("--expressionAttributeValues:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("#t is not defined in --expressionAttributeNames", StringComparison.Ordinal));
        Assert.Contains("--renameAttribute 'nope': expected old=new.", errors);
        Assert.Contains(errors, e => e.StartsWith("--resume with --transform", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("with --follow: the stream's changes are not shaped", StringComparison.Ordinal));
        Assert.Contains("--preview only applies with --dryRun.", errors);
        Assert.Contains("--transformErrors must be stop or reject, not 'maybe'.", errors);
    }

    [Fact]
    public void Mask_WithoutAKey_OrWithAShortOne_IsRefused()
    {
        var key = Path.GetTempFileName();
        File.WriteAllText(key, "short\n");
        try
        {
            var withShortKey = Parse($"--sourceTable a --destinationTable b --mask email --maskKeyFile {key}");
            Assert.Contains(withShortKey.Errors, e => e.Message.StartsWith("The masking key is 5 bytes", StringComparison.Ordinal));

            File.WriteAllText(key, "0123456789abcdef0123\n");
            var withKey = Parse($"--sourceTable a --destinationTable b --mask email,address.street --maskKeyFile {key}");
            Assert.Empty(withKey.Errors);
            var settings = CopySettingsBinder.Bind(withKey);
            Assert.Equal(["email", "address.street"], settings.Shape.MaskPaths);
            Assert.Equal(20, settings.Shape.MaskKey!.Length); // the line break is not part of the key
        }
        finally
        {
            File.Delete(key);
        }
    }
}
