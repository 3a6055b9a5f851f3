using System.Diagnostics;
using MySqlConnector;

namespace DdbCopy.TestSupport;

/// <summary>
/// A real MySQL-compatible server for tests: MariaDB from Debian's packages (installed by scripts/install-tools.sh),
/// a fresh data folder and a free port per instance, or the server in DDBCOPY_TEST_MYSQL (mysql://USER@HOST:PORT, the
/// password in MYSQL_PWD) when that is set. Disposing stops only the process this instance started.
/// </summary>
public sealed class MariaDbServer : IAsyncDisposable
{
    public const string ServerVariable = "DDBCOPY_TEST_MYSQL";

    private readonly Process? _process;
    private readonly string? _folder;

    private MariaDbServer(string host, int port, string user, string password, Process? process, string? folder)
    {
        (Host, Port, User, Password, _process, _folder) = (host, port, user, password, process, folder);
    }

    public string Host { get; }

    public int Port { get; }

    public string User { get; }

    /// <summary>The password (empty for the server started here): give it to ddbcopy as MYSQL_PWD.</summary>
    public string Password { get; }

    /// <summary>The PEM file of the server's self-signed certificate (a server started with TLS), else null.</summary>
    public string? TlsCertificate => _folder is not null && File.Exists(Path.Combine(_folder, "cert.pem")) ? Path.Combine(_folder, "cert.pem") : null;

    /// <summary>A self-signed certificate for 127.0.0.1 and localhost, valid for two days, and its key, as PEM files.</summary>
    private static void WriteSelfSigned(string certificatePath, string keyPath)
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", rsa,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var names = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>The URL ddbcopy takes for a database on this server.</summary>
    public string Url(string database) => $"mysql://{User}@{Host}:{Port}/{database}";

    /// <param name="binaryLog">Write a binary log in row format with full row images (server id 1), as a server followed by --binlog must.</param>
    /// <param name="tls">Serve TLS with a self-signed certificate for 127.0.0.1 made here (its PEM in <see cref="TlsCertificate"/>); ignored for an external server.</param>
    public static async Task<MariaDbServer> StartAsync(bool binaryLog = false, bool tls = false)
    {
        if (Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } external)
        {
            var uri = new Uri(external);
            return new MariaDbServer(uri.Host, uri.Port > 0 ? uri.Port : 3306, Uri.UnescapeDataString(uri.UserInfo),
                Environment.GetEnvironmentVariable("MYSQL_PWD") ?? "", null, null);
        }

        var server = Find("mariadbd") ?? Find("mysqld")
            ?? throw new InvalidOperationException($"No MariaDB server (mariadbd) found: run scripts/install-tools.sh (as root it installs mariadb-server), or set {ServerVariable}.");
        var install = Find("mariadb-install-db") ?? Find("mysql_install_db")
            ?? throw new InvalidOperationException("mariadb-install-db not found: run scripts/install-tools.sh.");
        var folder = Directory.CreateTempSubdirectory("ddbcopy-mariadb-").FullName;
        var data = Path.Combine(folder, "data");
        var setup = await ProcessRunner.RunAsync(install, ["--no-defaults", $"--datadir={data}", "--auth-root-authentication-method=normal", "--user=root"],
            TimeSpan.FromMinutes(2));
        if (setup.ExitCode != 0)
        {
            throw new InvalidOperationException($"mariadb-install-db failed: {setup}");
        }

        var port = DynamoDbLocalServer.FreePort();
        var info = new ProcessStartInfo(server) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
                 {
                     "--no-defaults", $"--datadir={data}", $"--socket={Path.Combine(folder, "s.sock")}", $"--port={port}", "--bind-address=127.0.0.1", "--user=root",
                     "--character-set-server=utf8mb4", "--collation-server=utf8mb4_bin", "--innodb-buffer-pool-size=128M",
                     "--innodb-flush-log-at-trx-commit=2", $"--pid-file={Path.Combine(folder, "pid")}",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        if (tls)
        {
            var (certificate, key) = (Path.Combine(folder, "cert.pem"), Path.Combine(folder, "key.pem"));
            WriteSelfSigned(certificate, key);
            info.ArgumentList.Add($"--ssl-cert={certificate}");
            info.ArgumentList.Add($"--ssl-key={key}");
        }

        foreach (var arg in binaryLog
                     ? new[] { $"--log-bin={Path.Combine(folder, "binlog")}", "--binlog-format=ROW", "--binlog-row-image=FULL", "--server-id=1" }
                     : ["--skip-log-bin"])
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("mariadbd did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = new MariaDbServer("127.0.0.1", port, "root", "", process, folder);
        await started.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return started;
    }

    /// <summary>A new database (utf8mb4) for one test, with a table of the digits 0-9 that <see cref="Sequence"/> uses.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 64)];
        await ExecuteAsync(null, $"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        await ExecuteAsync(name, "CREATE TABLE digits (n INT PRIMARY KEY); INSERT INTO digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);");
        return name;
    }

    /// <summary>
    /// A derived table of the numbers <paramref name="first"/> to <paramref name="last"/> (at most a million) in a column
    /// <c>seq</c>, for INSERT ... SELECT: written with the digits table, so it works on MySQL as on MariaDB.
    /// </summary>
    public static string Sequence(int first, int last) =>
        $"(SELECT {first} + a.n + 10 * b.n + 100 * c.n + 1000 * d.n + 10000 * e.n + 100000 * f.n AS seq "
        + "FROM digits a, digits b, digits c, digits d, digits e, digits f "
        + $"WHERE a.n + 10 * b.n + 100 * c.n + 1000 * d.n + 10000 * e.n + 100000 * f.n <= {last - first}) AS numbers";

    public async Task ExecuteAsync(string? database, string sql)
    {
        await using var connection = await OpenAsync(database);
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }

    public async Task<MySqlConnection> OpenAsync(string? database)
    {
        var builder = new MySqlConnectionStringBuilder
        {
            Server = Host, Port = (uint)Port, UserID = User, Password = Password, Database = database ?? "", AllowUserVariables = true,
            CharacterSet = "utf8mb4", AllowLoadLocalInfile = true,
        };
        var connection = new MySqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        if (_folder is not null)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/sbin").Append("/usr/bin")
        .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (_process is { HasExited: true })
            {
                throw new InvalidOperationException($"mariadbd exited with code {_process.ExitCode}.");
            }

            try
            {
                await using var connection = await OpenAsync(null);
                return;
            }
            catch (MySqlException) when (watch.Elapsed < timeout)
            {
                await Task.Delay(200);
            }
        }
    }
}
