using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Engine;
using DdbCopy.Core.Schema;
using DdbCopy.Core.Shaping;
using DdbCopy.Core.Sources;
using DdbCopy.Core.Sources.MySql;
using DdbCopy.Core.Sources.MySql.Binlog;

namespace DdbCopy.Core.Jobs.Importing;

/// <summary>
/// Turns a row change read from the binary log into the item changes that make the destination hold what the full load
/// would write for the table now: the row image maps as the load maps a row (the same conversion, --column types,
/// --attribute templates, --excludeColumns, then the shaping: masks, renames, the filter). A write puts the item (when it
/// passes the filter); an update puts it, or deletes it when it no longer passes, and deletes the old item when the key
/// changed; a delete deletes. A row that cannot be an item is given back with the reason (it goes to the reject file).
/// </summary>
internal sealed class BinlogChanges(BinlogTable table, RowMapping mapping, ShapeSettings shape, IReadOnlyList<KeyAttribute> key, bool keepNulls)
{
    private readonly ItemShaper _shaper = new(shape, key.Select(k => k.Name).ToList(), filterHere: true);
    private readonly ItemShaper _keyShaper = new(shape with { FilterExpression = null, Transform = null }, key.Select(k => k.Name).ToList(), filterHere: false);

    public BinlogTable Table { get; set; } = table;

    /// <summary>The changes of one row change, in the order they must be applied.</summary>
    /// <param name="problem">Why the row (its after image, else its before image) cannot be an item; the changes then are those that could be made.</param>
    public List<ChangeRecord> Of(RowImages images, DateTimeOffset at, out string? problem, out IReadOnlyDictionary<string, string?>? texts)
    {
        ArgumentNullException.ThrowIfNull(images);
        problem = null;
        texts = null;
        var changes = new List<ChangeRecord>(2);
        Dictionary<string, AttributeValue>? oldKey = null;
        if (images.Before is { } before)
        {
            (oldKey, _, problem, texts) = Map(before);
            if (oldKey is null)
            {
                return changes;
            }
        }

        if (images.After is not { } after)
        {
            changes.Add(Remove(oldKey!, at));
            return changes;
        }

        var (newKey, item, why, afterTexts) = Map(after);
        if (newKey is null)
        {
            (problem, texts) = (why, afterTexts);
            return changes;
        }

        if (oldKey is not null && ChangeRecord.KeyText(oldKey) != ChangeRecord.KeyText(newKey))
        {
            changes.Add(Remove(oldKey, at));
        }

        var shaped = _shaper.Shape(item!, out var refused);
        if (refused is not null)
        {
            (problem, texts) = (refused, afterTexts);
            return changes;
        }

        if (shaped is not null)
        {
            changes.Add(new ChangeRecord("", images.Before is null ? "INSERT" : "MODIFY", at, Keys(shaped), shaped, null, 0));
        }
        else if (images.Before is not null)
        {
            changes.Add(Remove(newKey, at)); // it no longer passes the filter: its item, if it was written, goes
        }

        return changes;
    }

    /// <summary>The item of a row image, and its key (as written: renamed, masked); a null key with the reason when it cannot be an item.</summary>
    private (Dictionary<string, AttributeValue>? Key, Dictionary<string, AttributeValue>? Item, string? Problem, IReadOnlyDictionary<string, string?> Texts) Map(object?[] image)
    {
        var (values, texts, problem) = Table.Convert(image, keepNulls);
        var item = problem is null ? mapping.ToItem(Table.Columns.Select(c => c.Name), c => texts.GetValueOrDefault(c), c => values.GetValueOrDefault(c), out problem) : null;
        if (item is null)
        {
            return (null, null, problem, texts);
        }

        if (ItemKeyCheck.Problem(item, key) is { } bad)
        {
            return (null, null, bad, texts);
        }

        var keyed = _keyShaper.Shape(new Dictionary<string, AttributeValue>(item, StringComparer.Ordinal), out var refused);
        return keyed is null || refused is not null ? (null, null, refused ?? "its key cannot be shaped", texts) : (Keys(keyed), item, null, texts);
    }

    private Dictionary<string, AttributeValue> Keys(Dictionary<string, AttributeValue> item) =>
        key.Where(k => item.ContainsKey(k.Name)).ToDictionary(k => k.Name, k => item[k.Name], StringComparer.Ordinal);

    private static ChangeRecord Remove(Dictionary<string, AttributeValue> key, DateTimeOffset at) => new("", "REMOVE", at, key, null, null, 0);
}
