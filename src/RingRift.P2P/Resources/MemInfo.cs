using System.Globalization;

namespace RingRift.P2P.Resources;

/// <summary>
/// Memory totals from Linux <c>/proc/meminfo</c>, in KiB. Available memory is <c>MemAvailable</c>
/// (kernel ≥ 3.14), else <c>MemFree + Buffers + Cached</c>.
/// </summary>
public readonly record struct MemInfo(ulong TotalKb, ulong AvailableKb)
{
    /// <summary>(Total − min(Available, Total)) / Total · 100; 0 when Total is 0.</summary>
    public double UsedPercent =>
        TotalKb == 0 ? 0 : Math.Clamp(100.0 * (TotalKb - Math.Min(AvailableKb, TotalKb)) / TotalKb, 0, 100);

    /// <summary>Parses the "Name:   value kB" lines of <paramref name="memInfoText"/>; unknown and malformed lines are ignored.</summary>
    /// <exception cref="FormatException">MemTotal is missing, or both MemAvailable and MemFree are.</exception>
    public static MemInfo Parse(string memInfoText)
    {
        ArgumentNullException.ThrowIfNull(memInfoText);
        var values = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var raw in memInfoText.Split('\n'))
        {
            var colon = raw.IndexOf(':');
            if (colon <= 0)
                continue;
            var number = raw[(colon + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (ulong.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
                values[raw[..colon].Trim()] = kb;
        }

        if (!values.TryGetValue("MemTotal", out var total))
            throw new FormatException("/proc/meminfo has no MemTotal line");
        if (values.TryGetValue("MemAvailable", out var available))
            return new MemInfo(total, available);
        if (!values.TryGetValue("MemFree", out var free))
            throw new FormatException("/proc/meminfo has neither MemAvailable nor MemFree");
        return new MemInfo(total, free + values.GetValueOrDefault("Buffers") + values.GetValueOrDefault("Cached"));
    }
}
