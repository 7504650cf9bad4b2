namespace RingRift.P2P.Testing.Soak;

/// <summary>
/// How far a series of readings (resident memory, open files) strayed from its first reading, in percent
/// of that reading: the reading farthest from it, signed (+12.5: 12.5 % above the first; −8: 8 % below).
/// </summary>
public static class ResourceDrift
{
    /// <summary>The signed percentage of the reading farthest from the first; null with fewer than two readings or a first reading of 0.</summary>
    public static double? Percent(IReadOnlyList<double> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        if (readings.Count < 2 || readings[0] == 0) return null;
        var reference = readings[0];
        var farthest = readings.Skip(1).MaxBy(r => Math.Abs(r - reference));
        return (farthest - reference) / reference * 100;
    }

    /// <summary>True when every drift is within ±<paramref name="limitPercent"/>; null when there is none to judge.</summary>
    public static bool? Within(IEnumerable<double?> drifts, double limitPercent)
    {
        ArgumentNullException.ThrowIfNull(drifts);
        var known = drifts.OfType<double>().ToList();
        return known.Count == 0 ? null : known.All(d => Math.Abs(d) <= limitPercent);
    }
}
