using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace DdbCopy.Core.Sources.MySql.Binlog;

/// <summary>
/// One replication connection to a MySQL or MariaDB server, written here because no binary log client is available
/// as a package: the handshake (TLS as asked, the authentication plugins of <see cref="Authentication"/>), statements
/// answered by OK (the SETs a replica makes), and <c>COM_BINLOG_DUMP</c> with its stream of events. Everything else
/// (variables, privileges, the table's columns) is asked through MySqlConnector on ordinary connections.
/// </summary>
public sealed class BinlogConnection : IAsyncDisposable
{
    private const uint LongPassword = 1, LongFlag = 4, Protocol41 = 0x200, Ssl = 0x800, Transactions = 0x2000, SecureConnection = 0x8000,
        MultiResults = 0x20000, PluginAuth = 0x80000, PluginAuthLengthEncoded = 0x200000;

    private readonly PacketChannel _channel;

    private BinlogConnection(PacketChannel channel, string serverVersion)
    {
        _channel = channel;
        ServerVersion = serverVersion;
    }

    /// <summary>The version the server gave in its greeting (MariaDB's contains "MariaDB").</summary>
    public string ServerVersion { get; }

    public bool IsMariaDb => ServerVersion.Contains("MariaDB", StringComparison.OrdinalIgnoreCase);

    /// <exception cref="BinlogServerException">The server refused the user, or TLS was required and not offered.</exception>
    /// <exception cref="IOException">The server cannot be reached.</exception>
    public static async Task<BinlogConnection> OpenAsync(BinlogConnectionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var socket = new TcpClient { NoDelay = true };
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(options.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(options.Host, options.Port, timeout.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                throw new IOException($"cannot connect to {options.Host}:{options.Port}: {ex.Message}", ex);
            }
        }

        var channel = new PacketChannel(socket.GetStream());
        try
        {
            var version = await HandshakeAsync(channel, options, cancellationToken);
            return new BinlogConnection(channel, version);
        }
        catch
        {
            await channel.DisposeAsync();
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Runs a statement that answers OK (a SET).</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        _channel.NewCommand();
        await _channel.WriteAsync((byte[])[3, .. Encoding.UTF8.GetBytes(sql)], cancellationToken);
        var answer = await _channel.ReadAsync(cancellationToken);
        ThrowIfError(answer);
        if (answer.Length == 0 || answer[0] != 0)
        {
            throw new BinlogFormatException($"'{sql}' was answered by something other than OK (0x{(answer.Length == 0 ? 0 : answer[0]):x2})");
        }
    }

    /// <summary>Asks for the binary log from <paramref name="file"/> at <paramref name="position"/>, as the replica <paramref name="serverId"/>.</summary>
    /// <param name="blocking">Wait for new events at the end (else the server ends the stream there).</param>
    public async Task StartDumpAsync(string file, uint position, uint serverId, bool blocking, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var name = Encoding.UTF8.GetBytes(file);
        var command = new byte[11 + name.Length];
        command[0] = 0x12; // COM_BINLOG_DUMP
        BitConverter.TryWriteBytes(command.AsSpan(1), position);
        BitConverter.TryWriteBytes(command.AsSpan(5), (ushort)(blocking ? 0 : 1)); // BINLOG_DUMP_NON_BLOCK
        BitConverter.TryWriteBytes(command.AsSpan(7), serverId);
        name.CopyTo(command, 11);
        _channel.NewCommand();
        await _channel.WriteAsync(command, cancellationToken);
    }

    /// <summary>The next event of the dump (header, body and checksum); null when a non-blocking dump reached the end.</summary>
    /// <exception cref="BinlogServerException">The server ended the dump with an error (1236: the position is gone).</exception>
    public async Task<byte[]?> ReadEventAsync(CancellationToken cancellationToken)
    {
        var packet = await _channel.ReadAsync(cancellationToken);
        ThrowIfError(packet);
        return packet switch
        {
            [0, ..] => packet[1..],
            [0xfe, ..] when packet.Length < 9 => null,
            _ => throw new BinlogFormatException($"a binary log packet begins with 0x{(packet.Length == 0 ? 0 : packet[0]):x2}, not 0x00"),
        };
    }

    public async ValueTask DisposeAsync() => await _channel.DisposeAsync();

    private static async Task<string> HandshakeAsync(PacketChannel channel, BinlogConnectionOptions options, CancellationToken cancellationToken)
    {
        var greeting = await channel.ReadAsync(cancellationToken);
        ThrowIfError(greeting);
        var (version, capabilities, nonce, plugin) = ParseGreeting(greeting);
        var secure = options.Tls != BinlogTls.None && (capabilities & Ssl) != 0;
        if (options.Tls >= BinlogTls.Required && !secure)
        {
            throw new BinlogServerException(0, $"sslMode={options.Tls} but the server at {options.Host}:{options.Port} offers no TLS");
        }

        var flags = LongPassword | LongFlag | Protocol41 | Transactions | SecureConnection | MultiResults | PluginAuth | PluginAuthLengthEncoded
            | (secure ? Ssl : 0);
        flags &= capabilities | Ssl;
        if (secure)
        {
            await channel.WriteAsync(Start(flags), cancellationToken);
            var tls = new SslStream(channel.Stream, leaveInnerStreamOpen: false, (_, certificate, chain, errors) => Trusted(options, certificate, errors));
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = options.Host }, cancellationToken);
            channel.Upgrade(tls);
        }

        var answer = Authentication.Scramble(plugin, options.Password, nonce, secure);
        var response = new List<byte>(Start(flags));
        response.AddRange(Encoding.UTF8.GetBytes(options.User));
        response.Add(0);
        response.Add((byte)answer.Length); // length-encoded: under 251 bytes
        response.AddRange(answer);
        response.AddRange(Encoding.UTF8.GetBytes(plugin));
        response.Add(0);
        await channel.WriteAsync(response.ToArray(), cancellationToken);
        await AuthenticateAsync(channel, options, plugin, nonce, secure, cancellationToken);
        return version;
    }

    /// <summary>Follows the server's answers to the handshake: OK, a switch to another plugin, or more data of caching_sha2_password.</summary>
    private static async Task AuthenticateAsync(PacketChannel channel, BinlogConnectionOptions options, string plugin, byte[] nonce, bool secure,
        CancellationToken cancellationToken)
    {
        for (var round = 0; round < 8; round++)
        {
            var packet = await channel.ReadAsync(cancellationToken);
            ThrowIfError(packet);
            switch (packet)
            {
                case [0, ..]:
                    return;
                case [0xfe, ..]: // switch to another plugin, with its own nonce
                    var reader = new ByteReader(packet.AsSpan(1));
                    plugin = reader.NulTerminated();
                    nonce = reader.Rest.ToArray();
                    await channel.WriteAsync(Authentication.Scramble(plugin, options.Password, nonce, secure), cancellationToken);
                    break;
                case [1, 3, ..] when plugin == Authentication.CachingSha2: // the scramble matched the cached password
                    break;
                case [1, 4, ..] when plugin == Authentication.CachingSha2: // full authentication
                    await channel.WriteAsync(secure ? Authentication.Terminated(options.Password) : [2], cancellationToken);
                    break;
                case [1, ..] when plugin is Authentication.CachingSha2 or Authentication.Sha256: // the server's public key
                    var pem = Encoding.ASCII.GetString(packet, 1, packet.Length - 1);
                    await channel.WriteAsync(Authentication.Encrypt(options.Password, nonce, pem, oaep: true), cancellationToken);
                    break;
                default:
                    throw new BinlogFormatException($"an unexpected answer (0x{(packet.Length == 0 ? 0 : packet[0]):x2}) while authenticating with {plugin}");
            }
        }

        throw new BinlogServerException(0, $"authentication with {plugin} did not end");
    }

    private static (string Version, uint Capabilities, byte[] Nonce, string Plugin) ParseGreeting(byte[] greeting)
    {
        var reader = new ByteReader(greeting);
        if (reader.U8() != 10)
        {
            throw new BinlogFormatException($"the server's greeting is protocol {greeting[0]}, not 10");
        }

        var version = reader.NulTerminated();
        reader.Skip(4); // connection id
        var nonce = reader.Bytes(8).ToArray();
        reader.Skip(1);
        uint capabilities = reader.U16();
        reader.Skip(3); // character set, status
        capabilities |= (uint)reader.U16() << 16;
        var nonceLength = reader.U8();
        reader.Skip(10);
        if ((capabilities & SecureConnection) != 0)
        {
            nonce = [.. nonce, .. reader.Bytes(Math.Max(13, nonceLength - 8))[..12]];
        }

        var plugin = (capabilities & PluginAuth) != 0 && reader.Remaining > 0 ? reader.NulTerminated() : Authentication.Native;
        return (version, capabilities, nonce, plugin);
    }

    /// <summary>The first 32 bytes of the handshake response (all of the TLS request): flags, packet size, utf8mb4, zeros.</summary>
    private static byte[] Start(uint flags)
    {
        var start = new byte[32];
        BitConverter.TryWriteBytes(start, flags);
        BitConverter.TryWriteBytes(start.AsSpan(4), 1 << 30);
        start[8] = 45; // utf8mb4_general_ci
        return start;
    }

    private static bool Trusted(BinlogConnectionOptions options, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (options.Tls < BinlogTls.VerifyCA || errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (options.Tls == BinlogTls.VerifyFull && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        if (options.TlsCa is null || certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.ImportFromPemFile(options.TlsCa);
        using var server = new X509Certificate2(certificate);
        return chain.Build(server);
    }

    private static void ThrowIfError(byte[] packet)
    {
        if (packet is not [0xff, ..])
        {
            return;
        }

        var reader = new ByteReader(packet.AsSpan(1));
        var code = reader.U16();
        if (reader.Remaining > 0 && reader.Rest[0] == (byte)'#')
        {
            reader.Skip(Math.Min(6, reader.Remaining));
        }

        throw new BinlogServerException(code, reader.Text(reader.Remaining));
    }
}
