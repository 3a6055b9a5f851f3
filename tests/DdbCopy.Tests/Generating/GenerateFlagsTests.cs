using DdbCopy.Cli.Commands;

namespace DdbCopy.Tests.Generating;

/// <summary>The sizes and durations `ddbcopy generate` accepts.</summary>
public sealed class GenerateFlagsTests
{
    [Theory]
    [InlineData("400", 400L)]
    [InlineData("1KB", 1024L)]
    [InlineData("1kb", 1024L)]
    [InlineData("2KiB", 2048L)]
    [InlineData(" 10 b ", 10L)]
    [InlineData("1.5KB", null)]
    [InlineData("1MB", null)]
    [InlineData("", null)]
    [InlineData("-1", null)]
    public void Bytes_ReadsASize(string text, long? expected) => Assert.Equal(expected, GenerateCommand.Bytes(text));

    [Theory]
    [InlineData("90", 90.0)]
    [InlineData("60s", 60.0)]
    [InlineData("5m", 300.0)]
    [InlineData("1.5h", 5400.0)]
    [InlineData("5 minutes", null)]
    [InlineData("-3s", null)]
    public void Seconds_ReadsADuration(string text, double? expected) => Assert.Equal(expected, GenerateCommand.Seconds(text));
}
