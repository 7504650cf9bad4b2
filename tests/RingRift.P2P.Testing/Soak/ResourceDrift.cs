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

    /// <summary>
    /// <see cref="Percent"/> among readings of processes of the same age: readings are grouped by their process's
    /// age in whole <paramref name="bucket"/>s (age 60–119 s, 120–179 s, … for a minute), each group is compared
    /// with its own first reading (the order given: the run's order), and the farthest of the groups' figures is
    /// returned, signed. A node restarted every few minutes holds readings of processes of many ages, and a
    /// young process holds less than an old one whatever it leaks; what a leak across restarts shows is a
    /// process of the same age holding more later in the run. Null when no group holds two readings.
    /// </summary>
    public static double? SameAgePercent(IReadOnlyList<(double AgeSeconds, double Value)> readings, TimeSpan bucket)
    {
        ArgumentNullException.ThrowIfNull(readings);
        return SameAgePercent(readings.Select(r => (r.AgeSeconds, "", r.Value)).ToList(), bucket);
    }

    /// <summary>
    /// <see cref="SameAgePercent(IReadOnlyList{ValueTuple{double, double}}, TimeSpan)"/> among readings of the same age
    /// and the same <c>Role</c> too: a leader does work a follower does not (it serves the queue, takes it over), so a
    /// process that leads is compared only with processes that led at the same age.
    /// </summary>
    public static double? SameAgePercent(IReadOnlyList<(double AgeSeconds, string Role, double Value)> readings, TimeSpan bucket)
    {
        ArgumentNullException.ThrowIfNull(readings);
        if (bucket <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(bucket), bucket, "must be positive");
        return readings.GroupBy(r => (Math.Floor(r.AgeSeconds / bucket.TotalSeconds), r.Role))
            .Select(group => Percent(group.Select(r => r.Value).ToList()))
            .OfType<double>()
            .Select(d => (double?)d)
            .MaxBy(d => Math.Abs(d!.Value));
    }
}
