namespace RingRift.P2P.Sqlite;

/// <summary>Converts a <see cref="TimeProvider"/> reading to Unix seconds, the unit work items store.</summary>
internal static class UnixTime
{
    /// <summary>Seconds since 1970-01-01T00:00:00Z with tick (100 ns) precision, like Python's <c>time.time()</c>.</summary>
    public static double Now(TimeProvider time) =>
        (time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;
}
