namespace DdbCopy.Core.Sources.MySql.Binlog;

/// <summary>One row change: the row before it (updates, deletes) and after it (writes, updates); a column not in an image, or NULL, is null.</summary>
public sealed record RowImages(object?[]? Before, object?[]? After);

/// <summary>Decodes the row images of a <see cref="RowsEvent"/> with the columns of its table (in their order).</summary>
public static class RowDecoder
{
    /// <exception cref="BinlogFormatException">The images do not parse with these columns (the table's columns are not the ones the rows were written with).</exception>
    public static List<RowImages> Decode(RowsEvent rows, IReadOnlyList<BinlogColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count != rows.ColumnCount)
        {
            throw new BinlogFormatException($"rows of {rows.Table.Database}.{rows.Table.Table} have {rows.ColumnCount} columns; the table has {columns.Count} now");
        }

        var reader = new ByteReader(rows.Images.Span);
        var images = new List<RowImages>();
        while (reader.Remaining > 0)
        {
            var first = Image(ref reader, rows, rows.Present, columns);
            images.Add(rows.Change switch
            {
                RowChange.Write => new RowImages(null, first),
                RowChange.Delete => new RowImages(first, null),
                _ => new RowImages(first, Image(ref reader, rows, rows.PresentAfter!, columns)),
            });
        }

        return images;
    }

    private static object?[] Image(ref ByteReader reader, RowsEvent rows, bool[] present, IReadOnlyList<BinlogColumn> columns)
    {
        var nulls = BinlogEventParser.Bitmap(ref reader, present.Count(p => p));
        var values = new object?[columns.Count];
        var index = 0;
        for (var i = 0; i < columns.Count; i++)
        {
            if (!present[i])
            {
                continue;
            }

            if (!nulls[index++])
            {
                values[i] = ColumnTypes.Read(ref reader, rows.Table.Types[i], rows.Table.Metadata[i], columns[i]);
            }
        }

        return values;
    }
}
