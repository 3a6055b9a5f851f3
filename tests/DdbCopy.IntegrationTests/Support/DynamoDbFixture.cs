using Amazon.DynamoDBv2;
using DdbCopy.TestSupport;

namespace DdbCopy.IntegrationTests.Support;

/// <summary>
/// One DynamoDB Local for the whole test collection, plus a shared 20,000-item source table of ~1 KB items that
/// several tests copy from (seeding it once saves minutes).
/// </summary>
public sealed class DynamoDbFixture : IAsyncLifetime
{
    public const int SharedItemCount = 20_000;
    public const string SharedSourceTable = "shared-source-20k";

    private DynamoDbLocalServer? _server;
    private AmazonDynamoDBClient? _client;
    private readonly SemaphoreSlim _sharedLock = new(1, 1);
    private bool _sharedSeeded;

    public DynamoDbLocalServer Server => _server ?? throw new InvalidOperationException("not started");

    public IAmazonDynamoDB Client => _client ?? throw new InvalidOperationException("not started");

    public string Endpoint => Server.Url;

    public async Task InitializeAsync()
    {
        _server = await DynamoDbLocalServer.StartAsync();
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _sharedLock.Dispose();
    }

    /// <summary>The shared source table, created and filled on first use (10,000 RCU so reading never limits a test).</summary>
    public async Task<string> SharedSourceAsync()
    {
        await _sharedLock.WaitAsync();
        try
        {
            if (!_sharedSeeded)
            {
                await Tables.CreateAsync(Client, SharedSourceTable, readUnits: 10_000, writeUnits: 10_000);
                await Tables.PutAllAsync(Client, SharedSourceTable, ItemFactory.Many(SharedItemCount));
                _sharedSeeded = true;
            }

            return SharedSourceTable;
        }
        finally
        {
            _sharedLock.Release();
        }
    }
}
