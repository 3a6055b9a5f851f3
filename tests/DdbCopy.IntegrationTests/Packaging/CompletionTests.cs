using DdbCopy.IntegrationTests.Support;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Packaging;

/// <summary>
/// The bash completion script the real executable prints, loaded into a real bash and asked to complete; `ddbcopy` on
/// the PATH is the real executable, so table names come from a real ListTables against DynamoDB Local.
/// </summary>
[Collection(DynamoDbCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CompletionTests(DynamoDbFixture dynamo) : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ddbcopy-completion-").FullName;

    private string ScriptPath => Path.Combine(_folder, "ddbcopy.bash");

    public async Task InitializeAsync()
    {
        var printed = await DdbCopyCli.RunAsync("completion", "bash");
        Assert.Equal(0, printed.ExitCode);
        await File.WriteAllTextAsync(ScriptPath, printed.StandardOutput);
        var (file, arguments) = DdbCopyCli.Command([]);
        var program = Path.Combine(_folder, "ddbcopy");
        await File.WriteAllTextAsync(program, $"#!/bin/sh\nexec '{file}' {string.Join(" ", arguments.Select(a => $"'{a}'"))} \"$@\"\n");
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>What bash offers for the command line <paramref name="words"/> (the last one is being completed).</summary>
    private Task<IReadOnlyList<string>> CompleteAsync(params string[] words) => CompleteAsync(new Dictionary<string, string>(), words);

    private async Task<IReadOnlyList<string>> CompleteAsync(IReadOnlyDictionary<string, string> environment, params string[] words)
    {
        var array = string.Join(" ", words.Select(w => $"'{w}'"));
        var result = await ProcessRunner.RunAsync("bash", ["-c",
            $"source '{ScriptPath}' && complete -p ddbcopy >/dev/null && COMP_WORDS=({array}) && COMP_CWORD={words.Length - 1} && {{ _ddbcopy; printf '%s\\n' \"${{COMPREPLY[@]}}\"; }}"],
            TimeSpan.FromSeconds(30),
            environment: DdbCopyCli.Environment.Concat(environment)
                .Append(new("PATH", _folder + ":" + Environment.GetEnvironmentVariable("PATH"))).ToDictionary(e => e.Key, e => e.Value));
        Assert.True(result.ExitCode == 0, result.StandardError);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public async Task TheScript_Loads_AndCompletesTheCopysOptions()
    {
        Assert.Equal(["--sourceTable"], await CompleteAsync("ddbcopy", "--sourceT"));
        Assert.Equal(["--source-table"], await CompleteAsync("ddbcopy", "--source-tab"));
        Assert.Contains("--readThroughputRatio", await CompleteAsync("ddbcopy", "--sourceTable", "orders", "--read"));
    }

    [Fact]
    public async Task ACommand_AndThenOnlyThatCommandsOptions_AreCompleted()
    {
        Assert.Equal(["export"], await CompleteAsync("ddbcopy", "expo"));
        Assert.Equal(["--compression"], await CompleteAsync("ddbcopy", "export", "--compr"));
        Assert.Equal(["--destinationTable"], await CompleteAsync("ddbcopy", "import", "--destinationTa"));
        Assert.Empty(await CompleteAsync("ddbcopy", "export", "--destinationTa")); // export has no destination table
    }

    [Fact]
    public async Task AnOptionsValues_AreCompleted_AndAfterAFlagTheOptionsAgain()
    {
        Assert.Equal(["gzip", "zstd", "none"], await CompleteAsync("ddbcopy", "export", "--compression", ""));
        Assert.Equal(["auto", "adaptive"], await CompleteAsync("ddbcopy", "--rate", "a"));
        Assert.Contains("--sourceTable", await CompleteAsync("ddbcopy", "--resume", ""));
        Assert.Empty(await CompleteAsync("ddbcopy", "--sourceTable", "")); // a table name: nothing is guessed
    }

    [Fact]
    public async Task TableNames_AreCompleted_OnlyWhenAskedFor_FromTheSideTypedSoFar()
    {
        var prefix = "compl" + Guid.NewGuid().ToString("N")[..8];
        await Tables.CreateAsync(dynamo.Client, prefix + "-orders");
        await Tables.CreateAsync(dynamo.Client, prefix + "-users");
        var optIn = new Dictionary<string, string> { ["DDBCOPY_COMPLETE_TABLES"] = "1" };

        Assert.Empty(await CompleteAsync("ddbcopy", "--sourceEndpoint", dynamo.Endpoint, "--sourceTable", prefix)); // by default: never
        Assert.Equal([prefix + "-orders", prefix + "-users"],
            await CompleteAsync(optIn, "ddbcopy", "--sourceEndpoint", dynamo.Endpoint, "--sourceTable", prefix));
        Assert.Equal([prefix + "-users"],
            await CompleteAsync(optIn, "ddbcopy", "import", "--destination-endpoint", dynamo.Endpoint, "--destination-table", prefix + "-u"));
        // The destination's endpoint is not the source's: an endpoint nothing answers at offers nothing, and no error.
        Assert.Empty(await CompleteAsync(optIn, "ddbcopy", "--destinationEndpoint", dynamo.Endpoint, "--sourceEndpoint", "http://127.0.0.1:9",
            "--sourceTable", prefix));
    }

    /// <summary>Runs <paramref name="script"/> in <paramref name="shell"/> with the printed completion script at $script.</summary>
    private async Task<ProcessResult> InShellAsync(string shell, string script)
    {
        var printed = await DdbCopyCli.RunAsync("completion", shell);
        Assert.Equal(0, printed.ExitCode);
        var path = Path.Combine(_folder, "ddbcopy." + shell);
        await File.WriteAllTextAsync(path, printed.StandardOutput);
        var result = await ProcessRunner.RunAsync(shell, ["-c", script.Replace("$script", path, StringComparison.Ordinal)], TimeSpan.FromSeconds(60),
            environment: new Dictionary<string, string> { ["HOME"] = _folder, ["XDG_CONFIG_HOME"] = _folder, ["XDG_DATA_HOME"] = _folder });
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    [Fact]
    public async Task TheFishScript_Loads_AndCompletesOptionsAndValues()
    {
        var options = await InShellAsync("fish", "source $script; complete -C'ddbcopy --sourceT'; echo ---; complete -C'ddbcopy export --compression '");

        var (first, second) = (options.StandardOutput.Split("---")[0], options.StandardOutput.Split("---")[1]);
        Assert.StartsWith("--sourceTable\t", first.Trim(), StringComparison.Ordinal);
        Assert.Equal(["gzip", "none", "zstd"], second.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheZshScript_Loads_AndRegistersItsCompletion_AndOffersEachCommandsOwnWords()
    {
        // zsh runs the bash function through bashcompinit's compgen -F, as its completion system does (zsh's compadd then
        // keeps the candidates that match what is typed, so the function hands over all of the command's words).
        const string Offer = "words=(ddbcopy @TYPED@) && CURRENT=${#words} && COMP_WORDS=(${words[@]}) && COMP_CWORD=$((CURRENT - 1)) && compgen -F _ddbcopy -- ${words[-1]}";
        var result = await InShellAsync("zsh", "autoload -U compinit && compinit -u && source $script && print -r -- ${_comps[ddbcopy]} && "
            + Offer.Replace("@TYPED@", "export --compr", StringComparison.Ordinal) + " && print -- --- && "
            + Offer.Replace("@TYPED@", "export --compression ''", StringComparison.Ordinal));

        var parts = result.StandardOutput.Split("---\n");
        var lines = parts[0].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("_ddbcopy", lines[0], StringComparison.Ordinal);
        Assert.Contains("--compression", lines);
        Assert.Contains("--sourceTable", lines);
        Assert.DoesNotContain("--destinationTable", lines); // export's words only
        Assert.Equal(["gzip", "zstd", "none"], parts[1].Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
