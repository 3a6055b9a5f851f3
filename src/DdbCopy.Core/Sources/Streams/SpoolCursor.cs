using DdbCopy.Core.Storage;

namespace DdbCopy.Core.Sources.Streams;

/// <summary>Reads the spool's complete lines in order from a position, never past what is written.</summary>
public sealed class SpoolCursor(ChangeSpool spool, SpoolPosition start) : IDisposable
{
    private FileStream? _file;
    private int _fileSegment = -1;
    private byte[] _buffer = new byte[64 * 1024];
    private int _begin;
    private int _end;

    /// <summary>The position of the next line to read.</summary>
    public SpoolPosition Position { get; private set; } = start;

    /// <summary>The next line (without its newline), or false when everything written so far is read.</summary>
    public bool TryRead(out ReadOnlyMemory<byte> line)
    {
        while (true)
        {
            var limit = spool.Written;
            if (Position >= limit)
            {
                line = default;
                return false;
            }

            var newline = Array.IndexOf(_buffer, (byte)'\n', _begin, _end - _begin);
            if (newline >= 0)
            {
                line = _buffer.AsMemory(_begin, newline - _begin);
                Position = Position with { Offset = Position.Offset + newline - _begin + 1 };
                _begin = newline + 1;
                return true;
            }

            // The segment is complete when the spool has moved past it: go on in the next one.
            var available = (Position.Segment < limit.Segment ? long.MaxValue : limit.Offset) - (Position.Offset + (_end - _begin));
            if (available <= 0 || !Fill(available))
            {
                if (Position.Segment < limit.Segment && _end == _begin)
                {
                    Position = new SpoolPosition(Position.Segment + 1, 0);
                    _begin = _end = 0;
                    continue;
                }

                line = default;
                return false;
            }
        }
    }

    private bool Fill(long available)
    {
        if (_fileSegment != Position.Segment)
        {
            _file?.Dispose();
            _file = OwnerOnlyFile.OpenStream(spool.PathOf(Position.Segment), FileAccess.Read, create: false, truncate: false, ChangeSpool.What);
            _fileSegment = Position.Segment;
        }

        if (_begin > 0)
        {
            Array.Copy(_buffer, _begin, _buffer, 0, _end - _begin);
            _end -= _begin;
            _begin = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2); // a line longer than the buffer (a 400 KB item)
        }

        var file = _file!;
        file.Position = Position.Offset + _end;
        var read = file.Read(_buffer, _end, (int)Math.Min(_buffer.Length - _end, available));
        _end += read;
        return read > 0;
    }

    public void Dispose() => _file?.Dispose();
}
