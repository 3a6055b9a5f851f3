using System.Text;

namespace DdbCopy.Core.Sources.Files;

/// <summary>One CSV record: its fields, or why it is not a record; where it starts, and its text.</summary>
internal readonly record struct CsvRecord(long Line, IReadOnlyList<string>? Fields, string? Error, string Text);

/// <summary>
/// Splits CSV (RFC 4180) into records, strictly, and recovers from damage instead of swallowing the file: a quoted
/// field may hold delimiters, doubled quotes and line breaks, but a quote followed by anything other than a delimiter
/// or the end of the line (<c>"x"y</c>), or a quote inside an unquoted field (<c>ab"c</c>), makes that record an
/// error; a quote still open at the end of the file, or after <see cref="MaxRecordChars"/> characters (more than any
/// DynamoDB item can hold), makes the record that opened it an error, and reading goes on at the line after its first.
/// </summary>
/// <remarks>
/// Written by hand: CsvHelper (used before) reads an unterminated quote to the end of the file as one field and
/// cannot resume after a bad record, which lost every record after it.
/// </remarks>
internal sealed class CsvRecordReader(TextReader input, string delimiter)
{
    /// <summary>DynamoDB's item limit (400 KB): no valid record's quoted field can be longer.</summary>
    public const int MaxRecordChars = 400 * 1024;

    private readonly Queue<(long Number, string Text)> _replay = new();
    private long _lineNumber;

    /// <returns>The next record, or null at the end of the input. Blank lines are skipped.</returns>
    public async ValueTask<CsvRecord?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await NextLineAsync(cancellationToken) is not var (start, first))
            {
                return null;
            }

            if (first.Length == 0)
            {
                continue;
            }

            var consumed = new List<(long, string)>();
            var text = new StringBuilder(first);
            var fields = new List<string>();
            var field = new StringBuilder();
            var line = first;
            var position = 0;
            var quoted = false;
            var atFieldStart = true;
            while (true)
            {
                if (position >= line.Length)
                {
                    if (!quoted)
                    {
                        fields.Add(field.ToString());
                        return new CsvRecord(start, fields, null, text.ToString());
                    }

                    // A line break inside a quoted field: the record goes on on the next line, within limits.
                    if (text.Length > MaxRecordChars || await NextLineAsync(cancellationToken) is not var (number, next))
                    {
                        Replay(consumed);
                        return new CsvRecord(start, null,
                            $"a quoted field opened on this line is never closed (by the end of the {(text.Length > MaxRecordChars ? "400 KB a record may have" : "file")}); reading goes on at the next line",
                            first);
                    }

                    consumed.Add((number, next));
                    text.Append('\n').Append(next);
                    field.Append('\n');
                    line = next;
                    position = 0;
                    continue;
                }

                var c = line[position];
                if (quoted)
                {
                    if (c != '"')
                    {
                        field.Append(c);
                        position++;
                    }
                    else if (position + 1 < line.Length && line[position + 1] == '"')
                    {
                        field.Append('"');
                        position += 2;
                    }
                    else if (position + 1 == line.Length || IsDelimiter(line, position + 1))
                    {
                        quoted = false;
                        position++;
                    }
                    else
                    {
                        return Skip(start, text, consumed, $"a closing quote is followed by '{line[position + 1]}' instead of the delimiter");
                    }
                }
                else if (IsDelimiter(line, position))
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    position += delimiter.Length;
                    atFieldStart = true;
                    continue;
                }
                else if (c == '"')
                {
                    if (!atFieldStart)
                    {
                        return Skip(start, text, consumed, "a quote inside a field that does not start with one (quote the field and double the quote: \"ab\"\"c\")");
                    }

                    quoted = true;
                    position++;
                }
                else
                {
                    field.Append(c);
                    position++;
                }

                atFieldStart = false;
            }
        }
    }

    /// <summary>
    /// A record with a quoting error. When it reached past its first line, the quote that opened on the first line
    /// most likely never closed, and what looked like its closing quote belongs to a later record: only the first line
    /// is rejected, and the lines after it are read again as the records they are.
    /// </summary>
    private CsvRecord Skip(long start, StringBuilder text, List<(long Number, string Text)> consumed, string error)
    {
        if (consumed.Count == 0)
        {
            return new CsvRecord(start, null, error, text.ToString());
        }

        Replay(consumed);
        var first = text.ToString();
        return new CsvRecord(start, null,
            "a quoted field opened on this line is never closed (its quote is matched only on a later line); reading goes on at the next line",
            first[..first.IndexOf('\n', StringComparison.Ordinal)]);
    }

    private bool IsDelimiter(string line, int position) =>
        string.CompareOrdinal(line, position, delimiter, 0, delimiter.Length) == 0;

    private void Replay(List<(long Number, string Text)> consumed)
    {
        // Lines read while looking for the closing quote are read again, as the records they are.
        var pending = _replay.ToList();
        _replay.Clear();
        foreach (var line in consumed.Concat(pending))
        {
            _replay.Enqueue(line);
        }
    }

    private async ValueTask<(long Number, string Text)?> NextLineAsync(CancellationToken cancellationToken)
    {
        if (_replay.TryDequeue(out var replayed))
        {
            return replayed;
        }

        if (await input.ReadLineAsync(cancellationToken) is not { } text)
        {
            return null;
        }

        return (++_lineNumber, text);
    }
}
