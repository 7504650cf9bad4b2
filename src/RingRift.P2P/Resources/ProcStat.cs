using System.Globalization;

namespace RingRift.P2P.Resources;

/// <summary>
/// The aggregate <c>cpu</c> line of Linux <c>/proc/stat</c>, in jiffies since boot.
/// <see cref="TotalJiffies"/> = user + nice + system + idle + iowait + irq + softirq + steal (guest
/// time is already inside user and nice); <see cref="IdleJiffies"/> = idle + iowait.
/// </summary>
public readonly record struct ProcStat(ulong TotalJiffies, ulong IdleJiffies)
{
    /// <summary>Columns after "cpu" that count towards the total: user … steal.</summary>
    private const int CountedColumns = 8;

    /// <summary>Reads the aggregate <c>cpu</c> line (not <c>cpu0</c>, <c>cpu1</c>, …) of <paramref name="procStatText"/>.</summary>
    /// <exception cref="FormatException">No <c>cpu</c> line, fewer than 4 columns, or a column that is not a whole number.</exception>
    public static ProcStat Parse(string procStatText)
    {
        ArgumentNullException.ThrowIfNull(procStatText);
        var line = procStatText.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal))
            ?? throw new FormatException("/proc/stat has no aggregate 'cpu' line");
        var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
        if (columns.Length < 4)
            throw new FormatException($"/proc/stat 'cpu' line needs at least 4 columns (user nice system idle), got '{line}'");

        ulong total = 0, idle = 0;
        for (var i = 0; i < Math.Min(columns.Length, CountedColumns); i++)
        {
            if (!ulong.TryParse(columns[i], NumberStyles.None, CultureInfo.InvariantCulture, out var jiffies))
                throw new FormatException($"/proc/stat 'cpu' column {i + 1} must be a whole number of jiffies, got '{columns[i]}'");
            total += jiffies;
            if (i is 3 or 4) // idle, iowait
                idle += jiffies;
        }
        return new ProcStat(total, idle);
    }

    /// <summary>
    /// Busy share between two readings: (Δtotal − Δidle) / Δtotal · 100, clamped to [0, 100].
    /// 0 when no jiffy elapsed or the counters went backwards; a falling idle counter (iowait can
    /// drop on Linux) counts as no idle time.
    /// </summary>
    public static double CpuPercentBetween(ProcStat earlier, ProcStat later)
    {
        if (later.TotalJiffies <= earlier.TotalJiffies)
            return 0; // no time passed, or the counters were reset
        var total = later.TotalJiffies - earlier.TotalJiffies;
        var idle = later.IdleJiffies >= earlier.IdleJiffies ? later.IdleJiffies - earlier.IdleJiffies : 0;
        var busy = total - Math.Min(idle, total);
        return Math.Clamp(100.0 * busy / total, 0, 100);
    }
}
