using System.Text;

namespace DdbCopy.Cli.Output;

/// <summary>
/// Stderr on a terminal with one status line at its bottom (the progress bar): <see cref="Show"/> redraws it in place
/// (carriage return, erase line), and every other write through this writer (a log line, an error) first erases it,
/// then draws it again below once the line written is complete, so log lines scroll up and the bar stays last.
/// </summary>
internal sealed class StatusLine(TextWriter terminal, Func<int> width) : TextWriter
{
    private const string Erase = "\r\u001b[K";
    private readonly Lock _lock = new();
    private string? _status;
    private bool _lineStart = true;

    public override Encoding Encoding => terminal.Encoding;

    /// <summary>Draws <paramref name="text"/> as the status line (cut to the terminal's width), replacing the last one.</summary>
    public void Show(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_lock)
        {
            var columns = Math.Max(20, width() - 1);
            _status = text.Length > columns ? text[..columns] : text;
            if (_lineStart)
            {
                terminal.Write(Erase + _status);
                terminal.Flush();
            }
        }
    }

    /// <summary>Erases the status line (before the summary); later writes go out as they are.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            if (_status is not null && _lineStart)
            {
                terminal.Write(Erase);
                terminal.Flush();
            }

            _status = null;
        }
    }

    public override void Write(char value) => Write(value.ToString());

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (_lock)
        {
            if (_status is not null && _lineStart)
            {
                terminal.Write(Erase);
            }

            terminal.Write(value);
            _lineStart = value.EndsWith('\n');
            if (_status is not null && _lineStart)
            {
                terminal.Write(_status);
            }

            terminal.Flush();
        }
    }

    public override void WriteLine(string? value) => Write(value + NewLine);

    public override void WriteLine() => Write(NewLine);

    public override void Flush() => terminal.Flush();
}
