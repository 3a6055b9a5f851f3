namespace DdbCopy.Core.Sources.MySql.Binlog;

/// <summary>How TLS is used, as the URL's sslMode asks (the driver's names and meanings).</summary>
public enum BinlogTls
{
    /// <summary>Never.</summary>
    None,

    /// <summary>When the server offers it (the default).</summary>
    Preferred,

    /// <summary>Always; the server's certificate is not checked.</summary>
    Required,

    /// <summary>Always; the certificate must chain to a trusted CA (sslCa, else the system's).</summary>
    VerifyCA,

    /// <summary>As VerifyCA, and the certificate must name the host.</summary>
    VerifyFull,
}

/// <summary>Where and as whom the binary log is read.</summary>
public sealed record BinlogConnectionOptions(string Host, int Port, string User, string Password)
{
    public BinlogTls Tls { get; init; } = BinlogTls.Preferred;

    /// <summary>A PEM file of the CA that signed the server's certificate (sslCa).</summary>
    public string? TlsCa { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
