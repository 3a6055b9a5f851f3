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

    /// <summary>
    /// Every other call (DescribeTable, CreateTable, UpdateTable, DeleteTable, TTL, tags, backups, and the waits that
    /// poll DescribeTable) answered with a throttling error (LimitExceededException or ThrottlingException).
    /// </summary>
    public double ControlPlaneThrottles { get; set; }

    /// <summary>Every other call answered with 500 InternalServerError.</summary>
    public double ControlPlaneErrors { get; set; }

    /// <summary>
    /// Any call (data and control plane) that is applied by the server but whose answer is lost: the proxy forwards
    /// it, then resets the connection instead of answering.
    /// </summary>
    public double LostAnswers { get; set; }

    /// <summary>Operations whose first call the server applies has its answer lost (the connection is reset instead).</summary>
    public HashSet<string> LoseFirstAnswerTo { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Operations whose first call is throttled, whatever the chances say: a test that checks that faults reach an
    /// operation called only a few times (GetRecords in a short follow) cannot then pass or fail by the seed.
    /// </summary>
    public HashSet<string> ThrottleFirstCallTo { get; } = new(StringComparer.Ordinal);

    /// <summary>Every request is accepted and never answered (until the client gives up on it).</summary>
    public bool Blackhole { get; set; }

    /// <summary>
    /// BatchWriteItem is answered by the proxy itself (every item it lets through counted as written, ConsumedCapacity
    /// from its own sizing), not forwarded: a destination that is never slow, for tests of the client's own pacing.
    /// </summary>
    public bool AnswerWritesItself { get; set; }

    /// <summary>
    /// When set, every GetRecords call is answered with this DynamoDB Streams error (for example
    /// TrimmedDataAccessException, which DynamoDB Local never gives: its records are never trimmed).
    /// </summary>
    public string? FailGetRecordsWith { get; set; }

    /// <summary>Added to every forwarded request.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Items whose key (the "pk" string) matches are never written: always returned as UnprocessedItems.</summary>
    public Func<string, bool>? HotKeys { get; set; }

    /// <summary>Tables that DescribeTable says have deletion protection on (DynamoDB Local does not know the setting).</summary>
    public HashSet<string> DeletionProtected { get; } = new(StringComparer.Ordinal);

    /// <summary>Write capacity to enforce per table name (units per second, token bucket holding one second); may change while it runs.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, double> WriteCapacity { get; } = new(StringComparer.Ordinal);

    /// <summary>Read capacity to enforce per table name (units per second, token bucket holding one second); may change while it runs.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, double> ReadCapacity { get; } = new(StringComparer.Ordinal);
}
