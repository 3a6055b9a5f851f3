using System.Text.Json;
using DdbCopy.IntegrationTests.Support;

namespace DdbCopy.IntegrationTests.Packaging;

/// <summary>A mistyped option or command, through the real executable: exit 2, one line naming the nearest known names.</summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("--sourceTabel", "--sourceTable")]
    [InlineData("--source-tabel", "--source-table")]
    [InlineData("--readThroughputRation", "--readThroughputRatio")]
    public async Task AMistypedOption_IsRefused_NamingTheOptionMeant(string typed, string meant)
    {
        var result = await DdbCopyCli.RunAsync(typed, "orders", "--destinationTable", "orders-copy");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"'{typed}'. Did you mean {meant}?", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMistypedCommand_IsRefused_NamingTheCommandMeant_AndJsonOutputSaysItToo()
    {
        var result = await DdbCopyCli.RunAsync("expot", "--sourceTable", "orders", "--to", "/tmp/x", "-o", "json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Did you mean export?", result.StandardError, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Contains("Did you mean export?", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWordNearNothing_IsRefused_WithoutAGuess()
    {
        var result = await DdbCopyCli.RunAsync("--sourceTable", "orders", "--destinationTable", "orders-copy", "--banana");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'--banana'", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Did you mean", result.StandardError, StringComparison.Ordinal);
    }
}
