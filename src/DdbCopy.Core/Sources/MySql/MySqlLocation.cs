using System.Globalization;

namespace DdbCopy.Core.Sources.MySql;

/// <summary>
/// A MySQL or MariaDB database to import from: <c>mysql://USER@HOST[:PORT]/DATABASE[?option=value&amp;...]</c>, the options
/// being the driver's connection options (sslMode, sslCa, ...). The password never is part of it (MYSQL_PWD or a file).
/// </summary>
public sealed partial record MySqlLocation(string User, string Host, int Port, string Database, IReadOnlyDictionary<string, string> Options)
    : Storage.StorageLocation
{
    public const int DefaultPort = 3306;

    public override string ToString() => $"mysql://{User}@{Host}:{Port.ToString(CultureInfo.InvariantCulture)}/{Database}";

    /// <summary>
    /// The URL as it may be shown: whatever stands between <c>://</c> and the last <c>@</c> before the options is a user,
    /// and a password after its first <c>:</c> is replaced by <c>***</c>, as are the values of password options. It works
    /// on the text alone, so a URL that does not parse (a <c>#</c> or <c>/</c> in the password) is never shown with it.
    /// </summary>
    public static string Redact(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var start = value.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
        {
            return value;
        }

        start += 3;
        var question = value.IndexOf('?', start);
        var end = question < 0 ? value.Length : question;
        var at = value.LastIndexOf('@', end - 1, end - start);
        var shown = value;
        if (at > start && value.IndexOf(':', start, at - start) is var colon and >= 0)
        {
            shown = value[..(colon + 1)] + "***" + value[at..];
        }

        return PasswordOption().Replace(shown, m => m.Groups[1].Value + "***");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"([?&](?:password|pwd|pass\s*word)=)[^&]*", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex PasswordOption();

    /// <returns>null and the reason when <paramref name="value"/> is not such a URL.</returns>
    public static MySqlLocation? TryParseUrl(string value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(value);
        error = null;
        const string Form = "use mysql://USER@HOST[:PORT]/DATABASE";
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != "mysql" || uri.Host.Length == 0)
        {
            error = $"'{Redact(value)}' is not a MySQL URL: {Form}";
            return null;
        }

        var userInfo = Uri.UnescapeDataString(uri.UserInfo);
        if (userInfo.Contains(':', StringComparison.Ordinal))
        {
            error = "the MySQL URL holds a password: leave it out (anyone can read it in the process list) and set MYSQL_PWD or pass --mysqlPasswordFile";
            return null;
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (userInfo.Length == 0 || database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
        {
            error = $"'{Redact(value)}' names no {(userInfo.Length == 0 ? "user" : "database")}: {Form}";
            return null;
        }

        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            options[Uri.UnescapeDataString(parts[0])] = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : "";
        }

        if (options.Keys.FirstOrDefault(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("password", StringComparison.OrdinalIgnoreCase)
                                             || k.Equals("pwd", StringComparison.OrdinalIgnoreCase)) is { } secret)
        {
            error = $"the MySQL URL holds a password ({secret}=): set MYSQL_PWD or pass --mysqlPasswordFile instead";
            return null;
        }

        return new MySqlLocation(userInfo, uri.Host, uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port, database, options);
    }
}
