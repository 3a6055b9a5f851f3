using System.Security.Cryptography;
using System.Text;

namespace DdbCopy.Core.Sources.MySql.Binlog;

/// <summary>
/// The answers to the servers' authentication plugins: <c>mysql_native_password</c> (MariaDB's and MySQL 5.7's
/// default), <c>caching_sha2_password</c> (MySQL 8's: a scramble when the server has the password cached, else the
/// password itself, over TLS in clear or encrypted with the server's RSA key) and <c>sha256_password</c>. MariaDB's
/// <c>client_ed25519</c> is not here: it signs with a key made from the password by a SHA-512 of arbitrary length,
/// which no Ed25519 in the framework takes (the error says to give the replication user mysql_native_password).
/// </summary>
internal static class Authentication
{
    public const string Native = "mysql_native_password";
    public const string CachingSha2 = "caching_sha2_password";
    public const string Sha256 = "sha256_password";

    /// <summary>The first answer to <paramref name="plugin"/>'s scramble (empty for an empty password).</summary>
    public static byte[] Scramble(string plugin, string password, ReadOnlySpan<byte> nonce, bool secure) => plugin switch
    {
        _ when password.Length == 0 => [],
        Native => NativeScramble(password, nonce),
        CachingSha2 => Sha2Scramble(password, nonce),
        // sha256_password: the password in clear over TLS; else ask for the server's key (1) and encrypt it.
        Sha256 => secure ? Terminated(password) : [1],
        _ => throw new BinlogServerException(0, $"the server asks for the authentication plugin '{plugin}', which ddbcopy's binary log reader does not speak; "
            + "give the replication user mysql_native_password or caching_sha2_password (ALTER USER ... IDENTIFIED WITH mysql_native_password BY '...')"),
    };

    /// <summary>SHA1(password) XOR SHA1(nonce + SHA1(SHA1(password))).</summary>
    public static byte[] NativeScramble(string password, ReadOnlySpan<byte> nonce)
    {
        var once = SHA1.HashData(Encoding.UTF8.GetBytes(password));
        var twice = SHA1.HashData(once);
        var salted = SHA1.HashData([.. Nonce(nonce), .. twice]);
        return Xor(once, salted);
    }

    /// <summary>SHA256(password) XOR SHA256(SHA256(SHA256(password)) + nonce).</summary>
    public static byte[] Sha2Scramble(string password, ReadOnlySpan<byte> nonce)
    {
        var once = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        var twice = SHA256.HashData(once);
        var salted = SHA256.HashData([.. twice, .. Nonce(nonce)]);
        return Xor(once, salted);
    }

    /// <summary>The password, NUL-terminated, XOR the nonce (repeated), encrypted with the server's RSA public key (PEM).</summary>
    public static byte[] Encrypt(string password, ReadOnlySpan<byte> nonce, string publicKeyPem, bool oaep)
    {
        var plain = Terminated(password);
        var salt = Nonce(nonce);
        for (var i = 0; i < plain.Length; i++)
        {
            plain[i] ^= salt[i % salt.Length];
        }

        using var rsa = RSA.Create();
        rsa.ImportFromPem(publicKeyPem);
        return rsa.Encrypt(plain, oaep ? RSAEncryptionPadding.OaepSHA1 : RSAEncryptionPadding.Pkcs1);
    }

    public static byte[] Terminated(string password) => [.. Encoding.UTF8.GetBytes(password), 0];

    /// <summary>The 20 bytes of the nonce (servers end it with a NUL that is not part of it).</summary>
    private static byte[] Nonce(ReadOnlySpan<byte> nonce) => (nonce.Length > 20 ? nonce[..20] : nonce).ToArray();

    private static byte[] Xor(byte[] a, byte[] b)
    {
        var result = new byte[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            result[i] = (byte)(a[i] ^ b[i]);
        }

        return result;
    }
}

/// <summary>An error the server answered with (its error code, and its message), or a refusal made while connecting.</summary>
public sealed class BinlogServerException(int code, string message) : Exception(message)
{
    /// <summary>The server's error number (1236: the position is not in the binary log; 1227/1045: privileges, password); 0 for ddbcopy's own.</summary>
    public int Code { get; } = code;
}
