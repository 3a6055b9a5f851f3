using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Support;

/// <summary>
/// Runs a shell block of the README as the README writes it, through bash, in a folder of its own: `ddbcopy` on the PATH
/// is the build under test, DynamoDB is the test's (AWS_ENDPOINT_URL_DYNAMODB, which the SDK honours), an s3:// argument
/// gets the test's S3 server, the profiles the README names exist with dummy keys, and a follower that would run until
/// Ctrl+C stops once caught up (--stopWhenCaughtUp). Only what names another machine is replaced, each replacement
/// given by the test.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ReadmeScript : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-readme-").FullName;

    public string Folder => _folder;

    /// <summary>
    /// The first shell block (```bash or ```sh) after the line that starts with <paramref name="heading"/>, in the README
    /// or one of the pages of docs/ (the heading names one place).
    /// </summary>
    public static string Block(string heading)
    {
        var pages = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "docs"), "*.md").Order(StringComparer.Ordinal)
            .Prepend(Path.Combine(RepositoryPaths.Root, "README.md"));
        var found = pages.Select(page => (Lines: File.ReadAllLines(page), Page: page))
            .Select(p => (p.Lines, At: Array.FindIndex(p.Lines, l => l.StartsWith(heading, StringComparison.Ordinal))))
            .FirstOrDefault(p => p.At >= 0);
        if (found.Lines is null)
        {
            throw new InvalidOperationException($"Neither README.md nor docs/ has a line starting with {heading}");
        }

        var (lines, at) = found;
        var start = Array.FindIndex(lines, at, l => l.Trim() is "```bash" or "```sh") + 1;
        var end = Array.FindIndex(lines, start, l => l.Trim() == "```");
        return string.Join("\n", lines[start..end]) + "\n";
    }

    /// <param name="replacements">What names another machine (a host, a secret's path), and what stands for it here.</param>
    public async Task<ProcessResult> RunAsync(string block, string dynamoDbEndpoint, string? s3Endpoint, IReadOnlyDictionary<string, string> replacements,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var script = replacements.Aggregate(block, (text, r) => text.Replace(r.Key, r.Value, StringComparison.Ordinal));
        await File.WriteAllTextAsync(Path.Combine(_folder, "block.sh"), "set -euo pipefail\n" + script);
        var bin = Directory.CreateDirectory(Path.Combine(_folder, "bin")).FullName;
        var (file, arguments) = DdbCopyCli.Command([]);
        var s3 = s3Endpoint is null ? "" : $"""
            for a in "$@"; do case "$a" in s3://*) set -- "$@" --s3Endpoint {Quote(s3Endpoint)}; break;; esac; done
            """;
        const string Follow = """
            case " $* " in *" --follow "*) case " $* " in *" --stopWhenCaughtUp "*) ;; *) set -- "$@" --stopWhenCaughtUp;; esac;; esac
            """;
        await File.WriteAllTextAsync(Path.Combine(bin, "ddbcopy"), $"#!/usr/bin/env bash\n{s3}\n{Follow}\nexec {Quote(file)} {string.Join(" ", arguments.Select(Quote))} \"$@\"\n");
        File.SetUnixFileMode(Path.Combine(bin, "ddbcopy"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var config = Path.Combine(_folder, "aws-config");
        await File.WriteAllTextAsync(config, string.Concat(new[] { "default", "profile prod", "profile dr", "profile staging", "profile eu-account" }
            .Select(p => $"[{p}]\nregion = us-east-1\naws_access_key_id = test\naws_secret_access_key = test\n")));
        var variables = new Dictionary<string, string>(DdbCopyCli.Environment)
        {
            ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamoDbEndpoint,
            ["AWS_ENDPOINT_URL_DYNAMODB_STREAMS"] = dynamoDbEndpoint, // DynamoDB Local serves its streams on the same port
            ["AWS_CONFIG_FILE"] = config,
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_folder, "no-credentials"),
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        return await ProcessRunner.RunAsync("bash", [Path.Combine(_folder, "block.sh")], timeout ?? TimeSpan.FromMinutes(4), _folder, variables);
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
