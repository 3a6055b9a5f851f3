namespace DdbCopy.TestSupport.Faults;

/// <summary>What the proxy does to the requests it forwards. Fractions are per request, from 0 to 1; change them at any time.</summary>
public sealed class FaultOptions
{
    /// <summary>BatchWriteItem calls answered with ProvisionedThroughputExceededException.</summary>
    public double ThrottleWrites { get; set; }

    /// <summary>Scan calls answered with ProvisionedThroughputExceededException.</summary>
    public double ThrottleScans { get; set; }

    /// <summary>BatchWriteItem calls of which only a part is applied; the rest comes back as UnprocessedItems.</summary>
    public double PartialWrites { get; set; }

    /// <summary>Scan and BatchWriteItem calls answered with 500 InternalServerError or 503 ServiceUnavailable.</summary>
    public double ServerErrors { get; set; }

    /// <summary>Scan and BatchWriteItem calls whose connection is reset before any answer.</summary>
    public double ConnectionResets { get; set; }

    /// <summary>Added to every forwarded request.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Items whose key (the "pk" string) matches are never written: always returned as UnprocessedItems.</summary>
    public Func<string, bool>? HotKeys { get; set; }

    /// <summary>Tables that DescribeTable says have deletion protection on (DynamoDB Local does not know the setting).</summary>
    public HashSet<string> DeletionProtected { get; } = new(StringComparer.Ordinal);

    /// <summary>Write capacity to enforce per table name (units per second, token bucket holding one second).</summary>
    public Dictionary<string, double> WriteCapacity { get; } = new(StringComparer.Ordinal);

    /// <summary>Read capacity to enforce per table name (units per second, token bucket holding one second).</summary>
    public Dictionary<string, double> ReadCapacity { get; } = new(StringComparer.Ordinal);
}
