using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Copying;

/// <summary>
/// The follow's change spool holds stream records (table data, personal data too): it follows the dead-letter file's
/// rules. Through the real CLI: a planted symbolic link is refused (the file it points at is untouched), so is a folder
/// others may write to, both before anything changes; a new spool is a 0700 folder of 0600 files.
/// </summary>
[Collection(DynamoDbCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FollowSpoolTests(DynamoDbFixture db) : IAsyncLifetime
{
    private readonly TableSet _tables = new(db.Client);
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-spool-").FullName;

    private async Task<string> SourceWithStreamAsync(string prefix)
    {
        var table = await _tables.CreateAsync(prefix);
        await Tables.PutAllAsync(db.Client, table, ItemFactory.Many(200));
        await db.Client.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = table,
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_AND_OLD_IMAGES },
        });
        return table;
    }

    private string[] Follow(string source, string destination, string spool, params string[] extra) =>
    [
        "--sourceEndpoint", db.Endpoint, "--sourceTable", source, "--destinationEndpoint", db.Endpoint, "--destinationTable", destination,
        "--checkpointFile", Path.Combine(_folder, Path.GetFileName(spool) + ".checkpoint.json"), "--follow", "--spoolDirectory", spool, "--output", "json", .. extra,
    ];

    [Fact]
    public async Task APlantedLinkInTheSpool_IsRefusedBeforeAnythingChanges_AndTheFileItPointsAtIsUntouched()
    {
        var source = await SourceWithStreamAsync("spool-link-src");
        var destination = await _tables.CreateAsync("spool-link-dst");
        var spool = Directory.CreateDirectory(Path.Combine(_folder, "planted"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;
        var victim = Path.Combine(_folder, "victim.txt");
        await File.WriteAllTextAsync(victim, "precious");
        File.SetUnixFileMode(victim, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.CreateSymbolicLink(Path.Combine(spool, "changes-000000.jsonl"), victim);

        var result = await DdbCopyCli.RunAsync(Follow(source, destination, spool, "--stopWhenCaughtUp"));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("symbolic link", DdbCopyCli.Summary(result).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("precious", await File.ReadAllTextAsync(victim));
        Assert.Equal(0, await Tables.CountAsync(db.Client, destination));
    }

    [Theory]
    [InlineData("link")]
    [InlineData("open")]
    public async Task ASpoolFolderThatIsALinkOrThatOthersMayWrite_IsRefusedBeforeAnythingChanges(string kind)
    {
        var source = await SourceWithStreamAsync("spool-dir-src");
        var destination = await _tables.CreateAsync("spool-dir-dst");
        var real = Directory.CreateDirectory(Path.Combine(_folder, "real-" + kind)).FullName;
        var spool = real;
        if (kind == "link")
        {
            File.SetUnixFileMode(real, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            spool = Path.Combine(_folder, "link-" + kind);
            Directory.CreateSymbolicLink(spool, real);
        }
        else
        {
            File.SetUnixFileMode(real, (UnixFileMode)0x1FF); // 0777
        }

        var result = await DdbCopyCli.RunAsync(Follow(source, destination, spool, "--stopWhenCaughtUp"));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(kind == "link" ? "symbolic link" : "others may write", DdbCopyCli.Summary(result).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(real));
        Assert.Equal(0, await Tables.CountAsync(db.Client, destination));
    }

    [Fact]
    public async Task ANewSpool_IsAFolderOnlyItsOwnerCanUse_OfFilesOnlyItsOwnerCanRead()
    {
        var source = await SourceWithStreamAsync("spool-new-src");
        var destination = await _tables.CreateAsync("spool-new-dst");
        var spool = Path.Combine(_folder, "new-spool");
        UnixFileMode? folderMode = null;
        var fileModes = new List<UnixFileMode>();

        var result = await DdbCopyCli.RunAsync(TimeSpan.FromMinutes(2), Follow(source, destination, spool), async process =>
        {
            var watch = Stopwatch.StartNew();
            while (!Directory.Exists(spool) || !Directory.EnumerateFiles(spool).Any() || !FollowTests.Applying(Path.Combine(_folder, "new-spool.checkpoint.json")))
            {
                Assert.True(watch.Elapsed < TimeSpan.FromMinutes(1), "no spool appeared, or the bulk copy did not end");
                await Task.Delay(50);
            }

            await db.Client.PutItemAsync(source, new Dictionary<string, AttributeValue> { ["pk"] = new() { S = "during" } });
            while (!(await db.Client.GetItemAsync(destination, new Dictionary<string, AttributeValue> { ["pk"] = new() { S = "during" } })).IsItemSet)
            {
                Assert.True(watch.Elapsed < TimeSpan.FromMinutes(1), "the change was not applied");
                await Task.Delay(50); // the copy is done and the follower applies changes: a stop now ends with exit 0
            }

            folderMode = File.GetUnixFileMode(spool);
            fileModes.AddRange(Directory.EnumerateFiles(spool).Select(File.GetUnixFileMode));
            using var stop = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]);
            await stop.WaitForExitAsync();
        });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, folderMode);
        Assert.NotEmpty(fileModes);
        Assert.All(fileModes, m => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, m));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
