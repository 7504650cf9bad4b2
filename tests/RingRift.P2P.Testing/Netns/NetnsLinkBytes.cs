using System.Globalization;

namespace RingRift.P2P.Testing.Netns;

/// <summary>
/// The bytes a host's interface (<see cref="NetnsHost.Interface"/>) has received and sent since the test bed made it:
/// the kernel's own counters, whole frames with their headers, every kind of traffic.
/// </summary>
public readonly record struct NetnsLinkBytes(long Received, long Sent)
{
    /// <summary>
    /// Reads the counters of the namespace process <paramref name="processId"/> runs in, from <c>/proc/PID/net/dev</c>
    /// (a file read, no child process: the instant of the reading is known to a few microseconds).
    /// </summary>
    /// <exception cref="InvalidOperationException">The process is gone, or its namespace has no <see cref="NetnsHost.Interface"/>.</exception>
    public static NetnsLinkBytes Of(int processId)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{processId}/net/dev");
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"reading the interface counters of process {processId} failed: {e.Message}", e);
        }

        // "  eth0: <8 receive fields> <8 transmit fields>": bytes are the first of each group.
        var line = lines.Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(NetnsHost.Interface + ":", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"process {processId}'s namespace has no {NetnsHost.Interface}");
        var fields = line[(NetnsHost.Interface.Length + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new NetnsLinkBytes(long.Parse(fields[0], CultureInfo.InvariantCulture), long.Parse(fields[8], CultureInfo.InvariantCulture));
    }
}
