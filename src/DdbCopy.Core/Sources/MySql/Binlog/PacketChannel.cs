using System.Buffers.Binary;

namespace DdbCopy.Core.Sources.MySql.Binlog;

/// <summary>
/// The MySQL client/server packets on one connection: a 3-byte length and a sequence number before each payload; a
/// payload of 16 MB - 1 or more is split into packets of that size and joined again here. The stream can be replaced
/// once by its TLS wrapper.
/// </summary>
internal sealed class PacketChannel(Stream stream) : IAsyncDisposable
{
    private const int MaxPayload = 0xffffff;
    private readonly byte[] _header = new byte[4];
    private byte _sequence;

    public Stream Stream { get; private set; } = stream;

    /// <summary>Starts a new command: the next packet written has sequence number 0.</summary>
    public void NewCommand() => _sequence = 0;

    public void Upgrade(Stream secure) => Stream = secure;

    public async Task<byte[]> ReadAsync(CancellationToken cancellationToken)
    {
        byte[]? joined = null;
        while (true)
        {
            await Stream.ReadExactlyAsync(_header, cancellationToken);
            var length = _header[0] | (_header[1] << 8) | (_header[2] << 16);
            _sequence = (byte)(_header[3] + 1);
            var payload = new byte[length];
            await Stream.ReadExactlyAsync(payload, cancellationToken);
            joined = joined is null ? payload : [.. joined, .. payload];
            if (length < MaxPayload)
            {
                return joined;
            }
        }
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var offset = 0;
        do
        {
            var length = Math.Min(MaxPayload, payload.Length - offset);
            var packet = new byte[length + 4];
            BinaryPrimitives.WriteInt32LittleEndian(packet, length);
            packet[3] = _sequence++;
            payload.Slice(offset, length).CopyTo(packet.AsMemory(4));
            await Stream.WriteAsync(packet, cancellationToken);
            offset += length;
            if (length < MaxPayload)
            {
                break;
            }
        }
        while (true);

        await Stream.FlushAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
