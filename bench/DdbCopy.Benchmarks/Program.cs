// ddbcopy benchmarks. See bench/README.md.
//   dotnet run -c Release --project bench/DdbCopy.Benchmarks -- e2e [items ...] [--repeat N] [-- extra ddbcopy flags]
//   dotnet run -c Release --project bench/DdbCopy.Benchmarks -- verify [items ...] [--repeat N]   (two equal tables compared)
//   dotnet run -c Release --project bench/DdbCopy.Benchmarks -- startup [--repeat N]   (--help and --version)
//   dotnet run -c Release --project bench/DdbCopy.Benchmarks -- local ITEMS [--repeat N] [--classic JAR]   (against DynamoDB Local)
//   add --native PATH to e2e, verify, startup or local to measure the NativeAOT binary too, interleaved with the JIT build
//   add --transform 'COMMAND' to e2e to measure each build with that --transform too, interleaved (the cost of a transform)
//   dotnet run -c Release --project bench/DdbCopy.Benchmarks -- micro
//   dotnet run -c Release --project bench/DdbCopy.Benchmarks -- serve ITEMS [--latencyMs N] [--onDemand] [--writeLimit 800@0,400@8]   (the fake alone)
//   dotnet run -c Release --project bench/DdbCopy.Benchmarks -- rate latency [--repeat N] [--build NAME=PATH]   (items/s against the budget at 40 and 20 ms)
//   dotnet run -c Release --project bench/DdbCopy.Benchmarks -- binlog [CHANGES] [--repeat N] [--build NAME=PATH]   (import --follow --binlog from MariaDB: changes/s, lag at 1,000/s)
//   dotnet run -c Release --project bench/DdbCopy.Benchmarks -- rate limit [--repeat N] [--items N] [--schedule S] [--latencyMs N] [--withoutSdk]   (against the SDK's adaptive mode)
using System.Globalization;
using BenchmarkDotNet.Running;
using DdbCopy.Benchmarks;

if (args.Length > 1 && args[0] == "serve")
{
    // Serve the fast fake until Enter, to profile ddbcopy against it by hand.
    var latency = Array.IndexOf(args, "--latencyMs") is var l and > 0 ? double.Parse(args[l + 1], CultureInfo.InvariantCulture) : 0;
    var limit = Array.IndexOf(args, "--writeLimit") is var w and > 0 ? WriteLimit.Parse(args[w + 1]) : null;
    await using var fake = await FastFakeDynamoDb.StartAsync(long.Parse(args[1], CultureInfo.InvariantCulture),
        options: new FakeOptions(latency, args.Contains("--onDemand"), limit));
    Console.WriteLine(fake.Url);
    Console.ReadLine();
    return 0;
}

var rateCase = args.Length > 1 && args[0] == "rate" ? args[1] : null;
if (rateCase is not null)
{
    args = args[1..]; // "rate latency ..." parses as "latency ..."
}

if (args.Length > 0 && args[0] is "e2e" or "verify" or "startup" or "local" or "binlog" || rateCase is not null)
{
    var split = Array.IndexOf(args, "--");
    var own = split < 0 ? args[1..] : args[1..split];
    var extra = split < 0 ? [] : args[(split + 1)..];
    var repeat = args[0] == "startup" ? 11 : 1;
    var counts = new List<long>();
    var builds = new List<Build> { EndToEnd.Jit };
    string? classic = null;
    string? transform = null;
    string schedule = RateBench.DefaultSchedule;
    double latencyMs = 0;
    long? rateItems = null;
    var withSdk = true;
    for (var i = 0; i < own.Length; i++)
    {
        if (own[i] == "--repeat")
        {
            repeat = int.Parse(own[++i], CultureInfo.InvariantCulture);
        }
        else if (own[i] == "--classic")
        {
            classic = own[++i];
        }
        else if (own[i] == "--schedule")
        {
            schedule = own[++i];
        }
        else if (own[i] == "--latencyMs")
        {
            latencyMs = double.Parse(own[++i], CultureInfo.InvariantCulture);
        }
        else if (own[i] == "--withoutSdk")
        {
            withSdk = false;
        }
        else if (own[i] == "--items")
        {
            rateItems = long.Parse(own[++i], CultureInfo.InvariantCulture);
        }
        else if (own[i] == "--transform")
        {
            transform = own[++i];
        }
        else if (own[i] == "--native")
        {
            builds.Add(new Build("NativeAOT", [Path.GetFullPath(own[++i])]));
        }
        else if (own[i] == "--build")
        {
            // Another build to compare with, interleaved: NAME=PATH, PATH an executable or a .dll run with dotnet.
            var (name, path) = (own[++i].Split('=', 2)[0], Path.GetFullPath(own[i].Split('=', 2)[1]));
            builds.Add(new Build(name, path.EndsWith(".dll", StringComparison.Ordinal) ? ["dotnet", path] : [path]));
        }
        else
        {
            counts.Add(long.Parse(own[i], CultureInfo.InvariantCulture));
        }
    }

    if (transform is not null)
    {
        builds.AddRange(builds.ToList().Select(b => new Build($"{b.Name} + transform", [.. b.Command, "--transform", transform])));
    }

    if (rateCase is not null)
    {
        return rateCase == "latency"
            ? await RateBench.LatencyAsync(repeat, builds, extra)
            : await RateBench.LimitAsync(repeat, builds, extra, rateItems ?? 16_000, schedule, latencyMs, withSdk);
    }

    return args[0] == "startup"
        ? await EndToEnd.StartupAsync(repeat, builds)
        : args[0] == "binlog"
        ? await BinlogBench.RunAsync(repeat, builds, counts.Count > 0 ? counts[0] : 300_000)
        : args[0] == "local"
        ? await AgainstLocal.RunAsync(counts.Count > 0 ? (int)counts[0] : 50_000, repeat, builds, classic)
        : await EndToEnd.RunAsync(counts.Count > 0 ? counts : [100_000, 1_000_000], repeat, extra, builds, verify: args[0] == "verify",
            new FakeOptions(latencyMs));
}

BenchmarkSwitcher.FromAssembly(typeof(HotPathBenchmarks).Assembly).Run(args.Length > 0 && args[0] == "micro" ? args[1..] : args);
return 0;
