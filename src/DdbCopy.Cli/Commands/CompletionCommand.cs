using System.CommandLine;
using System.Text;

namespace DdbCopy.Cli.Commands;

/// <summary>
/// <c>ddbcopy completion bash|zsh|fish|pwsh</c>: a completion script made from the command model (each command's
/// options in both spellings, the commands, the values of options that take one of a few words). The script is
/// static, so the native binary needs no dotnet-suggest and completing runs nothing. Table names are completed only
/// when the user sets <see cref="TablesVariable"/> (then a Tab after --sourceTable or --destinationTable runs the hidden
/// <see cref="TablesCommandName"/>, which calls ListTables with that side's endpoint, region and profile as typed so far).
/// </summary>
internal static class CompletionCommand
{
    private static readonly string[] Shells = ["bash", "zsh", "fish", "pwsh"];

    /// <summary>The environment variable that turns table-name completion on (any non-empty value).</summary>
    public const string TablesVariable = "DDBCOPY_COMPLETE_TABLES";

    /// <summary>The hidden command the scripts run to complete a table name.</summary>
    public const string TablesCommandName = "completion-tables";

    /// <summary>How long a Tab may wait for ListTables before it offers nothing.</summary>
    private static readonly TimeSpan TablesTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The table options, by side, and that side's endpoint, region and profile options.</summary>
    private static readonly (Option<string> Table, Option<string?> Endpoint, Option<string?> Region, Option<string?> Profile, string Side)[] TableOptions =
    [
        (CopyOptions.SourceTable, CopyOptions.SourceEndpoint, CopyOptions.SourceRegion, CopyOptions.SourceProfile, "source"),
        (CopyOptions.DestinationTable, CopyOptions.DestinationEndpoint, CopyOptions.DestinationRegion, CopyOptions.DestinationProfile, "destination"),
    ];

    /// <summary>Options whose value is one of a few words (the validation names the same ones).</summary>
    private static readonly Dictionary<string, string[]> Values = new(StringComparer.Ordinal)
    {
        ["--rate"] = ["auto", "adaptive", "fixed"],
        ["--output"] = ["text", "json"],
        ["--logFormat"] = ["text", "json"],
        ["--compression"] = ["gzip", "zstd", "none"],
        ["--format"] = ["auto", "dynamodb-json", "csv"],
        ["--destinationBillingMode"] = ["PROVISIONED", "PAY_PER_REQUEST"],
        ["--transformErrors"] = ["stop", "reject"],
    };

    public static Command Create(RootCommand root)
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh, fish or pwsh." };
        shell.AcceptOnlyFromAmong(Shells);
        var command = new Command("completion",
            "Prints a shell completion script: source <(ddbcopy completion bash); zsh, fish and pwsh likewise (see docs/flags.md).") { shell };
        command.SetAction(async (parse, ct) =>
        {
            await Console.Out.WriteAsync(Script(root, parse.GetValue(shell)!).AsMemory(), ct);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The hidden command behind table-name completion: prints one table name per line, or nothing (exit 0) when the
    /// side cannot be reached in <see cref="TablesTimeout"/>; a Tab must never print an error into the command line.
    /// </summary>
    public static Command CreateTables()
    {
        var endpoint = new Option<string?>("--endpoint");
        var region = new Option<string?>("--region");
        var profile = new Option<string?>("--profile");
        var command = new Command(TablesCommandName, "Prints the table names of one side, for shell completion.") { Hidden = true };
        command.Options.Add(endpoint);
        command.Options.Add(region);
        command.Options.Add(profile);
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var spec = Core.Aws.EndpointSpec.TryParse(parse.GetValue(endpoint), parse.GetValue(region), out _);
                if (spec is null)
                {
                    return 0;
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TablesTimeout);
                var side = new Core.Aws.SideSpec(spec, string.IsNullOrWhiteSpace(parse.GetValue(profile)) ? null : parse.GetValue(profile), null, null);
                using var client = Core.Aws.DynamoDbClientFactory.Create(side, "source");
                foreach (var name in await Core.Aws.TableNames.ListAsync(client, 1000, timeout.Token))
                {
                    await Console.Out.WriteLineAsync(name);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Nothing to offer: no credentials, no network, a slow endpoint. The Tab simply completes nothing.
            }

            return 0;
        });
        return command;
    }

    public static string Script(RootCommand root, string shell) => shell switch
    {
        "bash" => Bash(root),
        "zsh" => "#compdef ddbcopy\nautoload -U +X bashcompinit && bashcompinit\n" + Bash(root),
        "fish" => Fish(root),
        "pwsh" => Pwsh(root),
        _ => throw new ArgumentOutOfRangeException(nameof(shell), shell, "bash, zsh, fish or pwsh"),
    };

    /// <summary>Every visible command by its path below the root ("" for the root, "export"), and the words it takes.</summary>
    internal static IReadOnlyList<(string Path, Command Command, IReadOnlyList<string> Words)> Commands(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var all = new List<(string, Command, IReadOnlyList<string>)>();
        void Visit(Command command, string path)
        {
            var options = OptionGroups.Of(command).SelectMany(g => g.Options).ToList();
            var words = options.SelectMany(o => new[] { o.Name }.Concat(o.Aliases.Where(a => a.StartsWith("--", StringComparison.Ordinal)).Order(StringComparer.Ordinal)))
                .Concat(command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))
                .Concat(command.Arguments.SelectMany(a => a.GetCompletions(System.CommandLine.Completions.CompletionContext.Empty)).Select(c => c.Label))
                .ToList();
            all.Add((path, command, words));
            foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
            {
                Visit(sub, path.Length == 0 ? sub.Name : $"{path} {sub.Name}");
            }
        }

        Visit(root, "");
        return all;
    }

    /// <summary>The options (every spelling) whose value is one of a few words, and the words.</summary>
    private static IEnumerable<(IReadOnlyList<string> Spellings, string[] Words)> ValueOptions(RootCommand root) =>
        Commands(root).SelectMany(c => OptionGroups.Of(c.Command).SelectMany(g => g.Options))
            .DistinctBy(o => o.Name)
            .Where(o => Values.ContainsKey(o.Name))
            .Select(o => ((IReadOnlyList<string>)[o.Name, .. o.Aliases.Order(StringComparer.Ordinal)], Values[o.Name]));

    private static string Bash(RootCommand root)
    {
        var commands = Commands(root);
        var text = new StringBuilder();
        text.Append("# ddbcopy completion for bash (zsh through bashcompinit): source <(ddbcopy completion bash)\n")
            .Append("_ddbcopy() {\n")
            .Append("  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" path=\"\" words=\"\" i\n")
            .Append("  for ((i = 1; i < COMP_CWORD; i++)); do\n")
            .Append("    case \"$path ${COMP_WORDS[i]}\" in\n");
        foreach (var (path, _, _) in commands.Where(c => c.Path.Length > 0))
        {
            var parent = path.Contains(' ', StringComparison.Ordinal) ? path[..path.LastIndexOf(' ')] : "";
            text.Append("      \"").Append(parent).Append(' ').Append(path.Split(' ')[^1]).Append("\") path=\"").Append(path).Append("\" ;;\n");
        }

        text.Append("    esac\n  done\n  case \"$prev\" in\n");
        foreach (var (spellings, values) in ValueOptions(root))
        {
            text.Append("    ").Append(string.Join('|', spellings)).Append(") COMPREPLY=($(compgen -W \"").Append(string.Join(' ', values))
                .Append("\" -- \"$cur\")); return ;;\n");
        }

        foreach (var (table, endpoint, region, profile, _) in TableOptions)
        {
            text.Append("    ").Append(string.Join('|', Spellings(table))).Append(") [[ -n \"$").Append(TablesVariable)
                .Append("\" ]] && COMPREPLY=($(compgen -W \"$(_ddbcopy_tables '").Append(string.Join('|', Spellings(endpoint)))
                .Append("' '").Append(string.Join('|', Spellings(region))).Append("' '").Append(string.Join('|', Spellings(profile)))
                .Append("')\" -- \"$cur\")); return ;;\n");
        }

        text.Append("  esac\n  case \"$path\" in\n");
        foreach (var (path, _, words) in commands)
        {
            text.Append("    \"").Append(path).Append("\") words=\"").Append(string.Join(' ', words)).Append("\" ;;\n");
        }

        var flags = commands.SelectMany(c => OptionGroups.Of(c.Command).SelectMany(g => g.Options)).Where(o => o.ValueType == typeof(bool))
            .SelectMany(o => new[] { o.Name }.Concat(o.Aliases)).Distinct().Order(StringComparer.Ordinal);
        text.Append("  esac\n")
            .Append("  local flags=\" ").Append(string.Join(' ', flags)).Append(" \"\n")
            .Append("  # A word, unless the word before is an option that takes a value (then files, or nothing to offer).\n")
            .Append("  if [[ \"$cur\" == -* || \"$prev\" != -* || \"$flags\" == *\" $prev \"* ]]; then COMPREPLY=($(compgen -W \"$words\" -- \"$cur\")); fi\n")
            .Append("}\n")
            .Append("# Table names, only when $").Append(TablesVariable).Append(" is set: ListTables with the side's endpoint, region and profile typed so far.\n")
            .Append("_ddbcopy_tables() {\n")
            .Append("  local args=() i\n")
            .Append("  for ((i = 1; i < COMP_CWORD - 1; i++)); do\n")
            .Append("    if [[ \"|$1|\" == *\"|${COMP_WORDS[i]}|\"* ]]; then args+=(--endpoint \"${COMP_WORDS[i+1]}\")\n")
            .Append("    elif [[ \"|$2|\" == *\"|${COMP_WORDS[i]}|\"* ]]; then args+=(--region \"${COMP_WORDS[i+1]}\")\n")
            .Append("    elif [[ \"|$3|\" == *\"|${COMP_WORDS[i]}|\"* ]]; then args+=(--profile \"${COMP_WORDS[i+1]}\"); fi\n")
            .Append("  done\n")
            .Append("  \"${COMP_WORDS[0]}\" ").Append(TablesCommandName).Append(" \"${args[@]}\" 2>/dev/null\n")
            .Append("}\n")
            .Append("complete -o default -F _ddbcopy ddbcopy\n");
        return text.ToString();
    }

    private static IReadOnlyList<string> Spellings(Option option) => [option.Name, .. option.Aliases.Order(StringComparer.Ordinal)];

    private static string Fish(RootCommand root)
    {
        var commands = Commands(root);
        var topLevel = commands.Where(c => c.Path.Length > 0 && !c.Path.Contains(' ', StringComparison.Ordinal)).Select(c => c.Path).ToList();
        var text = new StringBuilder("# ddbcopy completion for fish: ddbcopy completion fish | source\n");
        foreach (var (path, command, _) in commands)
        {
            // A command's words apply once its path is on the line and nothing below it or beside it is (schema export is
            // not export: its condition needs schema, and export's excludes it).
            var parts = path.Length == 0 ? [] : path.Split(' ');
            var conditions = parts.Select(p => $"__fish_seen_subcommand_from {p}").ToList();
            var excluded = topLevel.Except(parts).Concat(command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)).Distinct().ToList();
            if (excluded.Count > 0)
            {
                conditions.Add($"not __fish_seen_subcommand_from {string.Join(' ', excluded)}");
            }

            var when = string.Join("; and ", conditions);
            var children = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)
                .Concat(command.Arguments.SelectMany(a => a.GetCompletions(System.CommandLine.Completions.CompletionContext.Empty)).Select(c => c.Label)).ToList();
            if (children.Count > 0)
            {
                text.Append("complete -c ddbcopy -n \"").Append(when).Append("\" -f -a \"").Append(string.Join(' ', children)).Append("\"\n");
            }

            foreach (var option in OptionGroups.Of(command).SelectMany(g => g.Options))
            {
                text.Append("complete -c ddbcopy -n \"").Append(when).Append('"');
                foreach (var spelling in new[] { option.Name }.Concat(option.Aliases).Where(a => a.StartsWith('-')).Distinct())
                {
                    // -l name, -s 'x' (quoted: -? would be a glob)
                    text.Append(spelling.StartsWith("--", StringComparison.Ordinal) ? " -l " + spelling[2..] : spelling.Length == 2 ? $" -s '{spelling[1]}'" : "");
                }

                if (Values.TryGetValue(option.Name, out var values))
                {
                    text.Append(" -x -a \"").Append(string.Join(' ', values)).Append('"');
                }
                else if (TableOptions.Any(t => t.Table == option))
                {
                    text.Append(" -x -a \"(test -n \\\"$").Append(TablesVariable).Append("\\\"; and ddbcopy ").Append(TablesCommandName).Append(" 2>/dev/null)\"");
                }

                // Single quotes: fish expands $variables and (commands) in double quotes, and descriptions hold ${column}.
                text.Append(" -d '").Append(ShortDescriptions.For(option).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal))
                    .Append("'\n");
            }
        }

        return text.ToString();
    }

    private static string Pwsh(RootCommand root)
    {
        var text = new StringBuilder("# ddbcopy completion for PowerShell: ddbcopy completion pwsh | Out-String | Invoke-Expression\n");
        text.Append("Register-ArgumentCompleter -Native -CommandName ddbcopy -ScriptBlock {\n")
            .Append("    param($wordToComplete, $commandAst, $cursorPosition)\n")
            .Append("    $words = @{\n");
        foreach (var (path, _, words) in Commands(root))
        {
            text.Append("        '").Append(path).Append("' = @(").Append(string.Join(", ", words.Select(w => $"'{w}'"))).Append(")\n");
        }

        text.Append("    }\n    $values = @{\n");
        foreach (var (spellings, values) in ValueOptions(root))
        {
            foreach (var spelling in spellings)
            {
                text.Append("        '").Append(spelling).Append("' = @(").Append(string.Join(", ", values.Select(v => $"'{v}'"))).Append(")\n");
            }
        }

        text.Append("    }\n")
            .Append("    $path = ''; $previous = ''\n")
            .Append("    foreach ($element in $commandAst.CommandElements | Select-Object -Skip 1) {\n")
            .Append("        $word = \"$element\"\n")
            .Append("        if ($element.Extent.StartOffset -ge $cursorPosition) { break }\n")
            .Append("        if ($word -eq $wordToComplete -and $element.Extent.EndOffset -ge $cursorPosition) { break }\n")
            .Append("        $next = \"$path $word\".Trim()\n")
            .Append("        if ($words.ContainsKey($next)) { $path = $next }\n")
            .Append("        $previous = $word\n")
            .Append("    }\n")
            .Append("    $tables = @(").Append(string.Join(", ", TableOptions.SelectMany(t => Spellings(t.Table)).Select(s => $"'{s}'"))).Append(")\n")
            .Append("    $candidates = if ($values.ContainsKey($previous)) { $values[$previous] }\n")
            .Append("        elseif ($tables -contains $previous) { if ($env:").Append(TablesVariable).Append(") { & ddbcopy ").Append(TablesCommandName).Append(" 2>$null } }\n")
            .Append("        else { $words[$path] }\n")
            .Append("    $candidates | Where-Object { $_ -like \"$wordToComplete*\" } | ForEach-Object {\n")
            .Append("        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)\n")
            .Append("    }\n")
            .Append("}\n");
        return text.ToString();
    }
}
