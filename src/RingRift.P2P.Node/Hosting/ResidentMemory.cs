using System.Globalization;

namespace RingRift.P2P.Node.Hosting;

/// <summary>
/// This process's private resident memory as the kernel counts it: <c>RssAnon</c> in <c>/proc/self/status</c>
/// (the GC heap, the C heap, thread stacks, written pages; not the mapped executable, which the kernel can drop
/// and read again). Null where there is no <c>/proc</c>.
/// </summary>
internal static class ResidentMemory
{
    public static long? PrivateBytes() => Read("/proc/self/status", "RssAnon:");

    /// <summary>The value of <paramref name="field"/> (a <c>… kB</c> line) in a <c>/proc/…/status</c> file, in bytes.</summary>
    internal static long? Read(string statusFile, string field)
    {
        if (!File.Exists(statusFile)) return null;
        foreach (var line in File.ReadLines(statusFile))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
            var parts = line[field.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return parts.Length == 2 && parts[1] == "kB" && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb)
                ? kb * 1024
                : null;
        }
        return null;
    }
}
