using DdbCopy.Core.Engine;
using DdbCopy.Core.Sources.MySql;
using DdbCopy.Core.Storage;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Jobs.Importing;

/// <summary>
/// A kind of source `ddbcopy import --from` reads with its own URL scheme: it parses its locations and runs the
/// import of one, with <see cref="ImportRunner.WriteAsync"/> as the write half (budget, retries, dead letters, rejects).
/// </summary>
public interface IImportKind
{
    /// <summary>The URL scheme, without <c>://</c>.</summary>
    string Scheme { get; }

    /// <returns>null and an error message when the value is not a usable location of this kind (a password never repeated).</returns>
    StorageLocation? TryParse(string value, out string? error);

    /// <summary>Whether <paramref name="location"/> is one of this kind's.</summary>
    bool Owns(StorageLocation location);

    Task<TransferSummary> RunAsync(ImportRunner import, ImportSettings settings, IProgressObserver? observer, StopSignals stop,
        ILoggerFactory loggerFactory, TimeProvider timeProvider);
}

/// <summary>
/// What `ddbcopy import --from` may name: a source kind with its own URL scheme (registered here, one line each), else
/// a folder, a file or an s3:// prefix (<see cref="StorageLocation"/>), which the import reads itself.
/// </summary>
public static class ImportFrom
{
    /// <summary>The kinds with their own scheme.</summary>
    public static IReadOnlyList<IImportKind> Kinds { get; } =
    [
        new MySqlImportKind(),
    ];

    /// <returns>null and an error message when the value is not a usable location of its kind.</returns>
    public static StorageLocation? TryParse(string value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(value);
        var scheme = StorageLocation.Scheme(value);
        var kind = Kinds.FirstOrDefault(k => string.Equals(scheme, k.Scheme, StringComparison.OrdinalIgnoreCase));
        return kind is not null ? kind.TryParse(value, out error) : StorageLocation.TryParse(value, out error);
    }

    /// <summary>The kind that reads <paramref name="location"/>, or null for files (a folder, a file, an s3:// prefix).</summary>
    public static IImportKind? KindOf(StorageLocation location) => Kinds.FirstOrDefault(k => k.Owns(location));

    private sealed class MySqlImportKind : IImportKind
    {
        public string Scheme => "mysql";

        public StorageLocation? TryParse(string value, out string? error) => MySqlLocation.TryParseUrl(value, out error);

        public bool Owns(StorageLocation location) => location is MySqlLocation;

        public Task<TransferSummary> RunAsync(ImportRunner import, ImportSettings settings, IProgressObserver? observer, StopSignals stop,
            ILoggerFactory loggerFactory, TimeProvider timeProvider) =>
            new MySqlImportRunner(import, loggerFactory, timeProvider).RunAsync(settings, (MySqlLocation)settings.From, observer, stop);
    }
}
