namespace DdbCopy.Core.Capacity;

/// <summary>
/// DynamoDB's limit on decreasing provisioned capacity: up to 4 decreases in the first hour of a UTC day, then one
/// more for each further hour, at most 27 a day.
/// </summary>
public static class DecreaseQuota
{
    public const int FirstHour = 4;
    public const int PerDay = 27;

    /// <summary>How many decreases are still possible right now, given how many were made today.</summary>
    public static int Available(DateTimeOffset now, long decreasesToday)
    {
        var hours = (int)now.UtcDateTime.TimeOfDay.TotalHours;
        var allowedSoFar = Math.Min(PerDay, FirstHour + hours);
        return (int)Math.Max(0, allowedSoFar - decreasesToday);
    }

    /// <summary>A warning when restoring after a boost may be refused by the quota, or null.</summary>
    public static string? Warning(string table, DateTimeOffset now, long decreasesToday)
    {
        var available = Available(now, decreasesToday);
        return available switch
        {
            0 => $"{table} has used its capacity decreases for now ({decreasesToday} today): restoring its capacity after the copy will be refused until the next hour (UTC); ddbcopy will print the values to restore.",
            1 => $"{table} has one capacity decrease left for now ({decreasesToday} used today): restoring after the copy will use it.",
            _ => null,
        };
    }
}
