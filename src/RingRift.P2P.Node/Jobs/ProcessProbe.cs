using System.Globalization;

namespace RingRift.P2P.Node.Jobs;

/// <summary>
/// Reads <c>/proc/&lt;pid&gt;/stat</c> to tell whether a recorded job process is still the same live
/// process: its start time (field 22, clock ticks since boot) tells a reused pid apart, and a zombie
/// counts as gone.
/// </summary>
internal static class ProcessProbe
{
    /// <summary>Field 22 of <c>/proc/&lt;pid&gt;/stat</c>; null when the process does not exist (or /proc is absent).</summary>
    public static long? StartTime(int pid) => Read(pid) is { } stat ? stat.StartTime : null;

    /// <summary>True while <paramref name="pid"/> exists, is not a zombie and started at <paramref name="startTime"/> (when known).</summary>
    public static bool IsAlive(int pid, long? startTime)
    {
        if (Read(pid) is not { } stat) return false;
        if (stat.State is 'Z' or 'X') return false;
        return startTime is null || stat.StartTime == startTime;
    }

    private static (char State, long StartTime)? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "pid (comm) S ppid ..." — comm may hold spaces and parentheses, so fields count from the last ')'.
        var end = text.LastIndexOf(')');
        if (end < 0) return null;
        var fields = text[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state); field 22 is fields[19].
        if (fields.Length < 20 || fields[0].Length != 1) return null;
        return long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? (fields[0][0], start) : null;
    }
}
