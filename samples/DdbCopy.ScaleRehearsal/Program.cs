// The scale rehearsal: a copy in sections with a follower, each a separate ddbcopy process, against one DynamoDB Local
// while `ddbcopy generate` puts, updates and deletes items; one section is killed (SIGKILL) half-way and started again
// with --resume; at the end `ddbcopy verify` must find the two tables equal (exit 0). Exit 0 when it does.
//   dotnet run --project samples/DdbCopy.ScaleRehearsal -c Release -- [--items 20000] [--sections 4] [--wcu 2000] [--endpoint URL]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DdbCopy.TestSupport;

var items = Option("--items", 20_000);
var sections = Option("--sections", 4);
var wcu = Option("--wcu", 2_000);
var given = args.SkipWhile(a => a != "--endpoint").Skip(1).FirstOrDefault();
var work = Directory.CreateTempSubdirectory("ddbcopy-rehearsal-").FullName;
Say($"{sections} sections + a follower copy {items} items at {wcu} WCU/s while `ddbcopy generate` changes them; logs in {work}");

await using var server = given is null ? await DynamoDbLocalServer.StartAsync() : null;
var endpoint = given ?? server!.Url;
var suffix = Guid.NewGuid().ToString("N")[..8];
var (source, destination) = ($"rehearsal-source-{suffix}", $"rehearsal-destination-{suffix}");
using (var client = new Amazon.DynamoDBv2.AmazonDynamoDBClient(new Amazon.Runtime.BasicAWSCredentials("test", "test"),
    new Amazon.DynamoDBv2.AmazonDynamoDBConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1" }))
{
    await Tables.CreateAsync(client, source, readUnits: 10_000, writeUnits: 10_000);
}

Check(await RunAsync("fill", ["generate", "--endpoint", endpoint, "--table", source, "--items", $"{items}", "--itemSize", "300", "--seed", "1"]), "the fill");

// Every process of the job runs this line; only the section differs. The sections enable the source's stream and
// create the destination; the follower waits for them, then applies what changed meanwhile.
string[] Job(string section, params string[] extra) =>
[
    "--sourceEndpoint", endpoint, "--sourceTable", source, "--destinationEndpoint", endpoint, "--destinationTable", destination,
    "--createDestination", "--enableSourceStream", "--totalSections", $"{sections}", "--section", section, "--follow",
    "--writeCapacityUnits", $"{wcu}", "--checkpointFile", Path.Combine(work, "ck-{section}.json"),
    "--deadLetterFile", Path.Combine(work, "deadletter-{section}.jsonl"), "--output", "json", .. extra,
];

var follower = Start("follower", Job("follow"));
var running = Enumerable.Range(0, sections).Select(i => Start($"section-{i}", Job($"{i}"))).ToArray();
await WaitForAsync(() => Enumerable.Range(0, sections).All(i => Checkpoint(i)?.TryGetProperty("sectionStream", out _) == true), "every section to begin its scan");
var changes = RunAsync("generate", ["generate", "--endpoint", endpoint, "--table", source, "--items", $"{items}", "--itemSize", "300",
    "--writeCapacityUnits", "400", "--updatesPerSecond", "100", "--deletesPerSecond", "25", "--duration", "8s", "--seed", "2"]);

// Section 1 is killed half-way through its share and started again with --resume.
await WaitForAsync(() => Checkpoint(1)?.GetProperty("totals").GetProperty("written").GetInt64() >= items / sections / 2, "section 1 to be half-way");
running[1].Kill();
await running[1].WaitForExitAsync();
Say($"section 1 killed (SIGKILL) at {Checkpoint(1)?.GetProperty("totals").GetProperty("written").GetInt64()} items written; started again with --resume");
running[1] = Start("section-1-resumed", Job("1", "--resume"));
foreach (var (process, i) in running.Select((p, i) => (p, i)))
{
    await process.WaitForExitAsync();
    Check(process.ExitCode, $"section {i}");
}

Check(await changes, "the changes");
Say("every section ended and the writer stopped; waiting for `ddbcopy verify` to find the tables equal");

// The follower keeps following (as it would until a cutover): verify until equal, then stop it with Ctrl+C.
var watch = Stopwatch.StartNew();
int verified;
while ((verified = await RunAsync("verify", ["verify", "--sourceEndpoint", endpoint, "--sourceTable", source, "--destinationEndpoint", endpoint,
    "--destinationTable", destination])) != 0)
{
    Check(follower.HasExited ? follower.ExitCode + 100 : 0, "the follower"); // it must still be running
    if (watch.Elapsed > TimeSpan.FromMinutes(3))
    {
        Check(verified, "verify (3 minutes after the writer stopped)");
    }

    await Task.Delay(2_000);
}

using (var interrupt = Process.Start("kill", ["-INT", follower.Id.ToString(CultureInfo.InvariantCulture)]))
{
    await interrupt.WaitForExitAsync();
}

await follower.WaitForExitAsync();
Check(follower.ExitCode, "the follower (Ctrl+C after catching up)");
Check(await RunAsync("finish", ["finish", "--sourceEndpoint", endpoint, "--sourceTable", source, "--destinationEndpoint", endpoint,
    "--destinationTable", destination]), "finish");
Say($"equal: `ddbcopy verify` exit 0 after {watch.Elapsed.TotalSeconds:0} s; the follower applied {Summary("follower")?.GetProperty("applied").GetInt64()} changes");
return 0;

int Option(string name, int fallback) =>
    args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

void Say(string text) => Console.Error.WriteLine($"rehearsal: {text}");

void Check(int exitCode, string what)
{
    if (exitCode != 0)
    {
        Say($"FAILED: {what} exited with {exitCode} (logs in {work})");
        Environment.Exit(1);
    }
}

JsonElement? Checkpoint(int section) => Json(Path.Combine(work, $"ck-{section}.json"));

JsonElement? Summary(string name) => Json(Path.Combine(work, name + ".out"));

static JsonElement? Json(string path)
{
    try
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }
    catch (Exception ex) when (ex is IOException or JsonException)
    {
        return null;
    }
}

async Task WaitForAsync(Func<bool> condition, string what)
{
    var limit = Stopwatch.StartNew();
    while (!condition())
    {
        if (limit.Elapsed > TimeSpan.FromMinutes(3))
        {
            Say($"FAILED: timed out waiting for {what} (logs in {work})");
            Environment.Exit(1);
        }

        await Task.Delay(50);
    }
}

Process Start(string name, string[] arguments)
{
    var native = Environment.GetEnvironmentVariable("DDBCOPY_TEST_BINARY");
    var info = new ProcessStartInfo(native is { Length: > 0 } ? native : "dotnet")
    {
        UseShellExecute = false,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
    if (native is not { Length: > 0 })
    {
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ddbcopy.dll"));
    }

    foreach (var argument in arguments)
    {
        info.ArgumentList.Add(argument);
    }

    info.Environment["AWS_ACCESS_KEY_ID"] = "test";
    info.Environment["AWS_SECRET_ACCESS_KEY"] = "test";
    info.Environment["AWS_REGION"] = "us-east-1";
    info.Environment["XDG_STATE_HOME"] = work;
    var process = Process.Start(info)!;
    var stdout = File.CreateText(Path.Combine(work, name + ".out"));
    var stderr = File.CreateText(Path.Combine(work, name + ".log"));
    process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.WriteLine(e.Data); stdout.Flush(); } } };
    process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.WriteLine(e.Data); stderr.Flush(); } } };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

async Task<int> RunAsync(string name, string[] arguments)
{
    using var process = Start(name, arguments);
    await process.WaitForExitAsync();
    return process.ExitCode;
}
