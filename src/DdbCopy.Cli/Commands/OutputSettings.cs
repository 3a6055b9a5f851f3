using System.CommandLine;

namespace DdbCopy.Cli.Commands;

/// <summary>How a command reports (summary format, log level) and how long a graceful stop may drain.</summary>
/// <param name="MetricsListen">Where to serve /metrics while the job runs (--metricsListen), or null.</param>
/// <param name="Section">The section this process runs, as the metrics label it, or null when the job is not split.</param>
internal sealed record OutputSettings(string Format, bool Verbose, bool Quiet, TimeSpan DrainTimeout, TimeSpan? ProgressInterval = null,
    string? MetricsListen = null, string? Section = null)
{
    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(30);

    public static OutputSettings From(ParseResult parse) => new(
        parse.GetValue(CopyOptions.Output) ?? "text",
        parse.GetValue(CopyOptions.Verbose),
        parse.GetValue(CopyOptions.Quiet),
        TimeSpan.FromSeconds(parse.GetValue(CopyOptions.DrainTimeoutSeconds)),
        parse.GetValue(CopyOptions.ProgressIntervalSeconds) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        parse.GetValue(CopyOptions.MetricsListen) is { Length: > 0 } listen ? listen.Trim() : null);

    /// <summary>
    /// The --output format named on a command line that may not parse: the last <c>--output</c>/<c>-o</c> value in any
    /// of System.CommandLine's spellings (<c>-o json</c>, <c>--output=json</c>, <c>--output:json</c>).
    /// </summary>
    public static string FormatIn(IReadOnlyList<string> args) => ValueIn(args, CopyOptions.Output);

    /// <summary>The --logFormat named on a command line that may not parse, in the same way.</summary>
    public static string LogFormatIn(IReadOnlyList<string> args) => ValueIn(args, CopyOptions.LogFormat);

    /// <summary>"json" when the last value of <paramref name="option"/> (any spelling) is json, else "text".</summary>
    private static string ValueIn(IReadOnlyList<string> args, System.CommandLine.Option option)
    {
        ArgumentNullException.ThrowIfNull(args);
        var names = option.Aliases.Append(option.Name).ToList();
        var format = "text";
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (names.Contains(arg))
            {
                if (i + 1 < args.Count)
                {
                    format = args[++i];
                }
            }
            else if (names.FirstOrDefault(n => arg.StartsWith(n + "=", StringComparison.Ordinal) || arg.StartsWith(n + ":", StringComparison.Ordinal)) is { } name)
            {
                format = arg[(name.Length + 1)..];
            }
        }

        return format.Trim().ToLowerInvariant() == "json" ? "json" : "text";
    }

    /// <summary>HOST:PORT: a host name, an IPv4 address, [IPv6], * or nothing before the colon; a port from 1 to 65535.</summary>
    internal static bool IsListenAddress(string address)
    {
        var colon = address.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(address[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            return false;
        }

        var host = address[..colon];
        return host is "" or "*" || (host.StartsWith('[') && host.EndsWith(']') && System.Net.IPAddress.TryParse(host[1..^1], out _))
            || Uri.CheckHostName(host) is UriHostNameType.Dns or UriHostNameType.IPv4;
    }

    /// <summary>Checks the reporting options: timeouts, progress interval, formats, the metrics address, --verbose with --quiet.</summary>
    internal static void Validate(System.CommandLine.Parsing.CommandResult result)
    {
        foreach (var option in new[] { CopyOptions.RequestTimeoutSeconds, CopyOptions.DrainTimeoutSeconds })
        {
            if (CopyValidation.TryGet(result, option, out var seconds) && !(seconds > 0 && seconds <= 3600))
            {
                result.AddError(CopyValidation.Invariant($"{option.Name} must be greater than 0 and at most 3600 (got {seconds})."));
            }
        }

        if (CopyValidation.TryGet(result, CopyOptions.ProgressIntervalSeconds, out var every) && every is { } interval && !(interval >= 0.5 && interval <= 3600))
        {
            result.AddError(CopyValidation.Invariant($"--progressIntervalSeconds must be between 0.5 and 3600 (got {interval})."));
        }

        foreach (var option in new[] { CopyOptions.Output, CopyOptions.LogFormat })
        {
            if (CopyValidation.TryGet(result, option, out var format) && format is not ("text" or "json"))
            {
                result.AddError($"{option.Name} must be text or json (got '{format}').");
            }
        }

        if (CopyValidation.TryGet(result, CopyOptions.MetricsListen, out var listen) && listen is not null && !OutputSettings.IsListenAddress(listen))
        {
            result.AddError($"--metricsListen must be HOST:PORT with a port from 1 to 65535, such as 0.0.0.0:9464 or 127.0.0.1:9464 (got '{listen}').");
        }

        if (CopyValidation.TryGet(result, CopyOptions.Verbose, out var verbose) && verbose && CopyValidation.TryGet(result, CopyOptions.Quiet, out var quiet) && quiet)
        {
            result.AddError("--verbose and --quiet cannot be used together.");
        }
    }
}
