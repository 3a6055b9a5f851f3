using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;
using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;

namespace DdbCopy.Core.Sources.Files;

/// <summary>
/// Reads CSV with a header row (<see cref="CsvRecordReader"/>: quotes, embedded delimiters and line breaks) into items through a
/// <see cref="CsvMapping"/>. Grouping keeps only the current group in memory, so the rows of a group must be
/// consecutive; a group that comes back after another one is rejected row by row (remembered as 64-bit hashes).
/// </summary>
public sealed class CsvItemReader(CsvMapping mapping, string fileName) : IItemReader
{
    private readonly RowMapping _rows = new(mapping);

    public async IAsyncEnumerable<InputRecord> ReadAsync(TextReader input, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var csv = new CsvRecordReader(input, mapping.Delimiter);
        var (header, index) = await ReadHeaderAsync(csv, cancellationToken);
        Group? group = null;
        var finished = new HashSet<ulong>();
        while (await csv.ReadAsync(cancellationToken) is { } record)
        {
            var line = record.Line;
            var text = record.Text;
            if (record.Fields is not { } cells)
            {
                yield return InputRecord.Rejected(line, record.Error!, text);
                continue;
            }

            if (cells.Count != header.Count)
            {
                yield return InputRecord.Rejected(line, $"has {cells.Count} fields, the header has {header.Count}", text);
                continue;
            }

            string? Cell(string column) => index.TryGetValue(column, out var i) ? cells[i] : null;
            var item = _rows.ToItem(index.Keys, Cell, null, out var error);
            if (item is null)
            {
                yield return InputRecord.Rejected(line, error!, text);
                continue;
            }

            if (mapping.GroupBy.Count == 0)
            {
                yield return InputRecord.Of(line, item, text);
                continue;
            }

            var key = _rows.GroupKey(item, out error);
            if (key is null)
            {
                yield return InputRecord.Rejected(line, error!, text);
                continue;
            }

            if (group is not null && group.Key == key)
            {
                group.Add(item, text);
                continue;
            }

            if (finished.Contains(Hash(key)))
            {
                yield return InputRecord.Rejected(line,
                    $"its group ({string.Join(", ", mapping.GroupBy)}) was already written from earlier rows: sort the file by those attributes", text);
                continue;
            }

            if (group is not null)
            {
                finished.Add(Hash(group.Key));
                yield return group.ToRecord();
            }

            group = new Group(key, line, item, text);
        }

        if (group is not null)
        {
            yield return group.ToRecord();
        }
    }

    /// <summary>Reads a file's header and checks it, before anything is written.</summary>
    /// <exception cref="DdbCopyException">The file is empty, the header is damaged, names a column twice, or lacks a column the mapping names.</exception>
    public async Task CheckHeaderAsync(TextReader input)
    {
        await ReadHeaderAsync(new CsvRecordReader(input, mapping.Delimiter), CancellationToken.None);
    }

    /// <returns>The header's fields, and column name to index (columns without a name are left out).</returns>
    private async Task<(IReadOnlyList<string> Header, Dictionary<string, int> Index)> ReadHeaderAsync(CsvRecordReader csv, CancellationToken cancellationToken)
    {
        if (await csv.ReadAsync(cancellationToken) is not { } record)
        {
            throw new DdbCopyException(FailureKind.Environment, $"{fileName} is empty: a CSV file starts with a header row naming its columns.");
        }

        if (record.Fields is not { } header)
        {
            throw new DdbCopyException(FailureKind.Environment, $"{fileName}:{record.Line}: the header row is not valid CSV: {record.Error}.");
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            if (name.Length == 0)
            {
                continue;
            }

            if (!index.TryAdd(name, i))
            {
                throw new DdbCopyException(FailureKind.Environment,
                    $"{fileName}:{record.Line}: the header names the column '{name}' twice (columns {index[name] + 1} and {i + 1}): rename one.");
            }
        }

        CheckHeader(index);
        return (header, index);
    }

    private void CheckHeader(Dictionary<string, int> index)
    {
        var missing = mapping.NamedColumns().Where(c => !index.ContainsKey(c.Column)).ToList();
        if (missing.Count > 0)
        {
            throw new DdbCopyException(FailureKind.Usage,
                $"{fileName}: the CSV header has no column {string.Join(", ", missing.Select(m => $"'{m.Column}' (named by {m.Option})"))}; it has {string.Join(", ", index.Keys)}.");
        }
    }

    private static ulong Hash(string key) => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(key));

    /// <summary>The rows of one group so far, merged into one item.</summary>
    private sealed class Group(string key, long line, Dictionary<string, AttributeValue> item, string text)
    {
        private readonly StringBuilder _text = new(text);

        public string Key { get; } = key;

        public void Add(Dictionary<string, AttributeValue> row, string rowText)
        {
            RowMapping.Merge(item, row);

            _text.Append('\n').Append(rowText);
        }

        public InputRecord ToRecord() => InputRecord.Of(line, item, _text.ToString());
    }
}
