using DdbCopy.Core.Sources.MySql;
using DdbCopy.Core.Storage;

namespace DdbCopy.Core.Importing;

/// <summary>
/// What `ddbcopy import --from` may name: a source kind with its own URL scheme (registered here, one line each), else
/// a folder, a file or an s3:// prefix (<see cref="StorageLocation"/>).
/// </summary>
public static class ImportFrom
{
    private delegate StorageLocation? Parser(string value, out string? error);

    private static readonly (string Scheme, Parser Parse)[] Kinds =
    [
        ("mysql", MySqlLocation.TryParseUrl),
    ];

    /// <returns>null and an error message when the value is not a usable location of its kind.</returns>
    public static StorageLocation? TryParse(string value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(value);
        var scheme = StorageLocation.Scheme(value);
        foreach (var kind in Kinds)
        {
            if (string.Equals(scheme, kind.Scheme, StringComparison.OrdinalIgnoreCase))
            {
                return kind.Parse(value, out error);
            }
        }

        return StorageLocation.TryParse(value, out error);
    }
}
