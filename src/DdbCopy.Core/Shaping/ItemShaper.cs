using Amazon.DynamoDBv2.Model;
using DdbCopy.Core.Aws;

namespace DdbCopy.Core.Shaping;

/// <summary>
/// Applies a job's <see cref="ShapeSettings"/> to one item at a time (all but the transform process): the filter when
/// it is evaluated here, the projection, dropped attributes, masks and renames. Built once per job; the checks that
/// concern the key (a key attribute dropped, renamed or masked without --allowKeyChanges, a rename into a key
/// attribute) are made when it is built, before anything is read.
/// </summary>
public sealed class ItemShaper
{
    private readonly FilterExpression? _filter;
    private readonly IReadOnlyList<AttributePath>? _projection;
    private readonly IReadOnlyList<AttributePath> _drops;
    private readonly IReadOnlyList<AttributeRename> _renames;
    private readonly IReadOnlyList<string> _key;

    /// <param name="keyNames">The key attributes of the items read (the source table's, or the destination's for an import).</param>
    /// <param name="filterHere">Evaluate the filter on this side (files); false when the Scan applies it.</param>
    /// <exception cref="DdbCopyException">A usage error: a bad expression or path, or a key change not allowed.</exception>
    public ItemShaper(ShapeSettings settings, IReadOnlyList<string> keyNames, bool filterHere)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _key = keyNames;
        try
        {
            _filter = filterHere && settings.FilterExpression is { } filter ? FilterExpression.Parse(filter, settings.Names, settings.Values) : null;
            _projection = settings.ProjectionExpression is { } projection
                ? projection.Split(',').Select(p => AttributePath.Parse(p.Trim(), settings.Names)).ToList()
                : null;
            _drops = settings.DropAttributes.Select(p => AttributePath.Parse(p)).ToList();
            var masks = settings.MaskPaths.Select(p => AttributePath.Parse(p)).ToList();
            Masker = masks.Count > 0 ? new ItemMasker(settings.MaskKey ?? throw Usage("--mask needs a key: set DDBCOPY_MASK_KEY or give --maskKeyFile."), masks) : null;
        }
        catch (FormatException ex)
        {
            throw Usage(ex.Message);
        }

        _renames = settings.Renames;
        CheckKey(settings);
        ChangesItems = _projection is not null || _drops.Count > 0 || Masker is not null || _renames.Count > 0;
        Active = _filter is not null || ChangesItems;
    }

    /// <summary>True when items come out changed (not only fewer).</summary>
    public bool ChangesItems { get; }

    /// <summary>True when it does anything to items.</summary>
    public bool Active { get; }

    public ItemMasker? Masker { get; }

    /// <summary>
    /// Shapes <paramref name="item"/> (in place when it can): null when the filter leaves it out; a refusal reason in
    /// <paramref name="refused"/> when it cannot be shaped (a rename into a name the item already has).
    /// </summary>
    public Dictionary<string, AttributeValue>? Shape(Dictionary<string, AttributeValue> item, out string? refused)
    {
        ArgumentNullException.ThrowIfNull(item);
        refused = null;
        if (_filter is not null && !_filter.Matches(item))
        {
            return null;
        }

        if (_projection is not null)
        {
            item = Project(item);
        }

        foreach (var drop in _drops)
        {
            Remove(item, drop);
        }

        Masker?.Mask(item);
        foreach (var rename in _renames)
        {
            if (!item.Remove(rename.From, out var value))
            {
                continue;
            }

            if (!item.TryAdd(rename.To, value))
            {
                item[rename.From] = value;
                refused = $"--renameAttribute {rename.From}={rename.To}: the item already has an attribute '{rename.To}'";
                return item;
            }
        }

        return item;
    }

    private Dictionary<string, AttributeValue> Project(Dictionary<string, AttributeValue> item)
    {
        var kept = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var name in _key)
        {
            if (item.TryGetValue(name, out var key))
            {
                kept[name] = key;
            }
        }

        foreach (var path in _projection!)
        {
            if (path.Find(item) is not null)
            {
                Copy(item, kept, path);
            }
        }

        return kept;
    }

    /// <summary>Copies the value at <paramref name="path"/> into <paramref name="to"/>, with the maps and lists around it.</summary>
    private static void Copy(Dictionary<string, AttributeValue> from, Dictionary<string, AttributeValue> to, AttributePath path)
    {
        if (path.IsTopLevel)
        {
            to[path.Top] = from[path.Top];
            return;
        }

        var source = from[path.Top];
        to[path.Top] = Merge(to.GetValueOrDefault(path.Top), source, path.Steps, 1);
    }

    private static AttributeValue Merge(AttributeValue? into, AttributeValue from, IReadOnlyList<PathStep> steps, int at)
    {
        if (at == steps.Count)
        {
            return from;
        }

        var step = steps[at];
        if (step.Name is { } name)
        {
            var map = into?.M ?? new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
            map[name] = Merge(map.GetValueOrDefault(name), from.M[name], steps, at + 1);
            return new AttributeValue { M = map };
        }

        // List elements keep their order; a projection of some elements gives a shorter list, as DynamoDB's does.
        var list = into?.L ?? [];
        var element = Merge(null, from.L[step.Index], steps, at + 1);
        list.Add(element);
        return new AttributeValue { L = list };
    }

    private static void Remove(Dictionary<string, AttributeValue> item, AttributePath path)
    {
        if (path.IsTopLevel)
        {
            item.Remove(path.Top);
            return;
        }

        var parent = new AttributePath(path.Steps.Take(path.Steps.Count - 1).ToList()).Find(item);
        var last = path.Steps[^1];
        if (last.Name is { } name)
        {
            parent?.M?.Remove(name);
        }
        else if (parent?.L is { } list && last.Index < list.Count)
        {
            list.RemoveAt(last.Index);
        }
    }

    private void CheckKey(ShapeSettings settings)
    {
        if (_drops.FirstOrDefault(d => d.IsTopLevel && _key.Contains(d.Top)) is { } dropped)
        {
            throw Usage($"--dropAttributes cannot drop the key attribute '{dropped.Top}': an item without its key cannot be written.");
        }

        var touched = _renames.Where(r => _key.Contains(r.From)).Select(r => (r.From, "--renameAttribute"))
            .Concat((Masker?.Paths ?? []).Where(p => _key.Contains(p.Top)).Select(p => (p.Top, "--mask")))
            .ToList();
        if (touched.Count > 0 && !settings.AllowKeyChanges)
        {
            var (name, flag) = touched[0];
            throw Usage($"{flag} would change the key attribute '{name}' (it changes which item is which): add --allowKeyChanges if that is meant.");
        }

        if (_renames.FirstOrDefault(r => _key.Contains(r.To) && !_key.Contains(r.From)) is { } into)
        {
            throw Usage($"--renameAttribute {into.From}={into.To}: '{into.To}' is a key attribute; a rename never replaces an attribute that exists.");
        }
    }

    private static DdbCopyException Usage(string message) => new(FailureKind.Usage, message);
}
