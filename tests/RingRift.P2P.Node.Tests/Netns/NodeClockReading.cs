using System.Globalization;
using RingRift.P2P.Testing.Netns;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// A node's two clocks as its <c>/status</c> shows them — <c>timestamp</c> (wall clock) and <c>uptime_seconds</c>
/// (monotonic: time since the process started) — beside the observer's at the answer: its wall clock and
/// <paramref name="ObserverAt"/> on the sampler's monotonic time line. What a test reads to know a fault it put on a
/// node's clock is in force: a wall clock an hour off with the monotonic clock going on as before, or a monotonic
/// clock running 10 % fast or slow. The node read its clocks somewhere between <paramref name="ObserverSent"/> and
/// <paramref name="ObserverAt"/> (the request's round trip: milliseconds on an idle bridge, most of a second on a
/// loaded two-core CI machine), so comparisons of two readings allow for both round trips.
/// </summary>
public sealed record NodeClockReading(string Node, double ObserverSent, double ObserverAt, double ObserverWall, double NodeWall, double NodeUptime)
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
        var sent = now();
        var status = await node.GetJsonAsync("/status");
        return new NodeClockReading(node.Id, sent, now(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
            status["timestamp"]!.GetValue<double>(), status["uptime_seconds"]!.GetValue<double>());
    }

    /// <summary>Middle of the round trip: the observer's best estimate of when the node read its clocks.</summary>
    public double ObserverMid => (ObserverSent + ObserverAt) / 2;

    /// <summary>How fast the node's monotonic clock ran against the observer's from <paramref name="earlier"/> to this reading.</summary>
    public double MonotonicRateSince(NodeClockReading earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return (NodeUptime - earlier.NodeUptime) / (ObserverMid - earlier.ObserverMid);
    }

    /// <summary>
    /// The smallest jump of the node's monotonic clock against the observer's, in seconds, that the two readings
    /// allow: each was taken somewhere within its round trip, so the observer time between them lies in
    /// [this sent − earlier answered, this answered − earlier sent]; 0 when no jump is needed to explain them.
    /// </summary>
    public double MonotonicJumpSince(NodeClockReading earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var nodeElapsed = NodeUptime - earlier.NodeUptime;
        var least = nodeElapsed - (ObserverAt - earlier.ObserverSent);
        var most = nodeElapsed - (ObserverSent - earlier.ObserverAt);
        return least > 0 ? least : most < 0 ? most : 0;
    }

    /// <summary>
    /// Waits until <paramref name="node"/>'s wall clock is <paramref name="offset"/> off the observer's (within
    /// <paramref name="tolerance"/>) and returns that reading.
    /// </summary>
    public static Task<NodeClockReading> WaitForWallOffsetAsync(NetnsNode node, Func<double> now, TimeSpan offset, TimeSpan tolerance) =>
        Eventually.Until(() => ReadAsync(node, now), r => Math.Abs(r.WallOffset - offset.TotalSeconds) <= tolerance.TotalSeconds,
            string.Create(CultureInfo.InvariantCulture, $"{node.Id}'s wall clock {offset.TotalSeconds:+0;-0;0} s off the observer's"), NetnsNode.ProcessWait);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Node} at {ObserverSent:0.000}-{ObserverAt:0.000}: wall clock {WallOffsetText} off, up {NodeUptime:0.000} s");
}
