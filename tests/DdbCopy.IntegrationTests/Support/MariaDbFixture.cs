using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Support;

/// <summary>One MariaDB server (or the one in DDBCOPY_TEST_MYSQL) for a test class; each test makes its own database.</summary>
public sealed class MariaDbFixture : IAsyncLifetime
{
    private MariaDbServer? _server;

    public MariaDbServer Server => _server ?? throw new InvalidOperationException("not started");

    /// <summary>The environment ddbcopy needs to log in (the password, as MySQL's own clients take it).</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["MYSQL_PWD"] = Server.Password };

    public async Task InitializeAsync() => _server = await MariaDbServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
