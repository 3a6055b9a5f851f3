using System.Text.RegularExpressions;
using DdbCopy.Core.Sources.MySql.Binlog;

namespace DdbCopy.Core.Jobs.Importing;

/// <summary>The DDL statements of the binary log that concern a followed table: ALTER, DROP, TRUNCATE and RENAME of it.</summary>
internal static partial class BinlogDdl
{
    /// <summary>The statement's verb (ALTER TABLE, TRUNCATE, ...), upper case, when it names <paramref name="database"/>.<paramref name="table"/>; else null.</summary>
    public static string? Verb(StatementEvent statement, string database, string table)
    {
        ArgumentNullException.ThrowIfNull(statement);
        if (Ddl().Match(statement.Sql) is not { Success: true } ddl || TableName().Match(ddl.Groups["rest"].Value) is not { Success: true } name)
        {
            return null;
        }

        var named = name.Groups["db"].Success ? Unquote(name.Groups["db"].Value) : statement.Database;
        return named == database && Unquote(name.Groups["table"].Value) == table ? ddl.Groups["verb"].Value.ToUpperInvariant() : null;
    }

    private static string Unquote(string name) => name.StartsWith('`') ? name[1..^1].Replace("``", "`", StringComparison.Ordinal) : name;

    [GeneratedRegex(@"^\s*(?:/\*.*?\*/\s*)*(?<verb>ALTER\s+(?:ONLINE\s+|IGNORE\s+)*TABLE|DROP\s+(?:TEMPORARY\s+)?TABLE(?:\s+IF\s+EXISTS)?|TRUNCATE(?:\s+TABLE)?|RENAME\s+TABLE)\s+(?<rest>.*)$",
        RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Ddl();

    [GeneratedRegex(@"^\s*(?:(?<db>`(?:[^`]|``)+`|\w+)\s*\.\s*)?(?<table>`(?:[^`]|``)+`|\w+)", RegexOptions.CultureInvariant)]
    private static partial Regex TableName();
}
