namespace DdbCopy.Core.Jobs.Verifying;

/// <summary>What one item is, in the destination, compared with the source.</summary>
public enum Difference
{
    /// <summary>In the source, not in the destination.</summary>
    Missing,

    /// <summary>In both, with different contents.</summary>
    Different,

    /// <summary>In the destination, not in the source.</summary>
    Extra,
}

/// <summary>
/// Compares two spills bucket by bucket: the source's bucket in memory, the destination's streamed past it. A bucket
/// too large for memory is split again by the next bits of the key hash first, so memory stays bounded.
/// </summary>
public static class SpillComparer
{
    /// <summary>Bucket pairs up to this many bytes on disk are compared in memory.</summary>
    public const long InMemoryBytes = 64L << 20;

    /// <returns>How many source items were compared.</returns>
    public static long Compare(string folder, string sourceSide, string destinationSide, Action<Difference, byte[]> report, long inMemoryBytes = InMemoryBytes)
    {
        ArgumentNullException.ThrowIfNull(report);
        long compared = 0;
        for (var bucket = 0; bucket < FingerprintSpill.Buckets; bucket++)
        {
            compared += ComparePair(FingerprintSpill.PathOf(folder, sourceSide, bucket), FingerprintSpill.PathOf(folder, destinationSide, bucket), 1,
                report, inMemoryBytes);
        }

        return compared;
    }

    private static long ComparePair(string source, string destination, int level, Action<Difference, byte[]> report, long inMemoryBytes)
    {
        if (new FileInfo(source).Length + new FileInfo(destination).Length > inMemoryBytes && level < 20)
        {
            return CompareSplit(source, destination, level, report, inMemoryBytes);
        }

        var expected = new Dictionary<UInt128, SpillRecord>();
        long compared = 0;
        foreach (var record in FingerprintSpill.Read(source))
        {
            expected.TryAdd(record.KeyHash, record);
            compared++;
        }

        foreach (var record in FingerprintSpill.Read(destination))
        {
            if (!expected.Remove(record.KeyHash, out var wanted))
            {
                report(Difference.Extra, record.KeyJson);
            }
            else if (wanted.ContentHash != record.ContentHash)
            {
                report(Difference.Different, record.KeyJson);
            }
        }

        foreach (var left in expected.Values)
        {
            report(Difference.Missing, left.KeyJson);
        }

        return compared;
    }

    private static long CompareSplit(string source, string destination, int level, Action<Difference, byte[]> report, long inMemoryBytes)
    {
        var parts = Path.Combine(Path.GetDirectoryName(source)!, $"{Path.GetFileNameWithoutExtension(source)}-split{level}");
        Directory.CreateDirectory(parts);
        try
        {
            Split(source, Path.Combine(parts, "a"), level);
            Split(destination, Path.Combine(parts, "b"), level);
            long compared = 0;
            for (var bucket = 0; bucket < FingerprintSpill.Buckets; bucket++)
            {
                compared += ComparePair(Path.Combine(parts, $"a-{bucket:00}.bin"), Path.Combine(parts, $"b-{bucket:00}.bin"), level + 1, report,
                    inMemoryBytes);
            }

            return compared;
        }
        finally
        {
            Directory.Delete(parts, recursive: true);
        }
    }

    private static void Split(string file, string prefix, int level)
    {
        var outputs = Enumerable.Range(0, FingerprintSpill.Buckets).Select(b => FingerprintSpill.Create($"{prefix}-{b:00}.bin")).ToArray();
        try
        {
            foreach (var record in FingerprintSpill.Read(file))
            {
                FingerprintSpill.Write(outputs[FingerprintSpill.BucketOf(record.KeyHash, level)], record);
            }
        }
        finally
        {
            foreach (var output in outputs)
            {
                output.Dispose();
            }
        }
    }
}
