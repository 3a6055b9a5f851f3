using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Support;

/// <summary>One MariaDB server (or the one in DDBCOPY_TEST_MYSQL) for a test class; each test makes its own database.</summary>
public class MariaDbFixture : IAsyncLifetime
{
    private MariaDbServer? _server;

    public MariaDbServer Server => _server ?? throw new InvalidOperationException("not started");

    /// <summary>The environment ddbcopy needs to log in (the password, as MySQL's own clients take it).</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["MYSQL_PWD"] = Server.Password };

    /// <summary>True for a server that writes a binary log in row format (see <see cref="MariaDbBinlogFixture"/>).</summary>
    protected virtual bool BinaryLog => false;

    public async Task InitializeAsync() => _server = await MariaDbServer.StartAsync(BinaryLog);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>A MariaDB server that writes a binary log in row format with full row images, as --binlog needs.</summary>
public sealed class MariaDbBinlogFixture : MariaDbFixture
{
    protected override bool BinaryLog => true;
}
