using System.Globalization;

namespace RingRift.P2P.Bench;

/// <summary>
/// One reading of a Linux process from <c>/proc/&lt;pid&gt;</c>: CPU time used so far (user + system, all
/// threads), resident memory and thread count.
/// </summary>
public readonly record struct ProcessSample(TimeSpan CpuTime, long RssBytes, int Threads)
{
    /// <summary>The kernel's clock ticks per second for <c>/proc/&lt;pid&gt;/stat</c> times (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>Reads the process now; throws when it is gone or the files are not Linux's.</summary>
    public static ProcessSample Read(int pid)
    {
        // stat: "pid (comm) state ppid …": comm may hold spaces and parentheses, so fields count from the last ')'.
        // After it, field 3 (state) is index 0; utime (14) and stime (15) are indexes 11 and 12.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        long rssKb = -1;
        var threads = -1;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rssKb = Number(line);
            else if (line.StartsWith("Threads:", StringComparison.Ordinal)) threads = (int)Number(line);
        }
        if (rssKb < 0 || threads < 0) throw new InvalidDataException($"/proc/{pid}/status has no VmRSS or Threads line");
        return new(TimeSpan.FromSeconds(ticks / TicksPerSecond), rssKb * 1024, threads);
    }

    private static long Number(string line) =>
        long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
