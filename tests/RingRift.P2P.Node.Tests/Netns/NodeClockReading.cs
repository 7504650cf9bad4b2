using System.Globalization;
using RingRift.P2P.Testing.Netns;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// A node's two clocks as its <c>/status</c> shows them — <c>timestamp</c> (wall clock) and <c>uptime_seconds</c>
/// (monotonic: time since the process started) — beside the observer's at the answer: its wall clock and
/// <paramref name="ObserverAt"/> on the sampler's monotonic time line. What a test reads to know a fault it put on a
/// node's clock is in force: a wall clock an hour off with the monotonic clock going on as before, or a monotonic
/// clock running 10 % fast or slow. The node read its clocks while the request was in flight, so each figure is off
/// by up to one round trip (milliseconds on the bridge).
/// </summary>
public sealed record NodeClockReading(string Node, double ObserverAt, double ObserverWall, double NodeWall, double NodeUptime)
{
    /// <summary>The node's wall clock minus the observer's, in seconds.</summary>
    public double WallOffset => NodeWall - ObserverWall;

    /// <summary><see cref="WallOffset"/> as "+3600.0 s", "-3600.0 s" or "0.0 s".</summary>
    public string WallOffsetText => (Math.Round(WallOffset, 1) + 0.0).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " s"; // + 0.0: no "-0.0"

    /// <summary>Reads <paramref name="node"/>'s clocks; <paramref name="now"/> is the observer's monotonic time line in seconds.</summary>
    public static async Task<NodeClockReading> ReadAsync(NetnsNode node, Func<double> now)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(now);
        var status = await node.GetJsonAsync("/status");
        return new NodeClockReading(node.Id, now(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
            status["timestamp"]!.GetValue<double>(), status["uptime_seconds"]!.GetValue<double>());
    }

    /// <summary>How fast the node's monotonic clock ran against the observer's from <paramref name="earlier"/> to this reading.</summary>
    public double MonotonicRateSince(NodeClockReading earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return (NodeUptime - earlier.NodeUptime) / (ObserverAt - earlier.ObserverAt);
    }

    /// <summary>
    /// Waits until <paramref name="node"/>'s wall clock is <paramref name="offset"/> off the observer's (within
    /// <paramref name="tolerance"/>) and returns that reading.
    /// </summary>
    public static Task<NodeClockReading> WaitForWallOffsetAsync(NetnsNode node, Func<double> now, TimeSpan offset, TimeSpan tolerance) =>
        Eventually.Until(() => ReadAsync(node, now), r => Math.Abs(r.WallOffset - offset.TotalSeconds) <= tolerance.TotalSeconds,
            string.Create(CultureInfo.InvariantCulture, $"{node.Id}'s wall clock {offset.TotalSeconds:+0;-0;0} s off the observer's"), NetnsNode.ProcessWait);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Node} at {ObserverAt:0.000}: wall clock {WallOffsetText} off, up {NodeUptime:0.000} s");
}
