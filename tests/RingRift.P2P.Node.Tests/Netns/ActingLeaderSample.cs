using System.Text.Json.Nodes;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// One node's <c>/status</c> as a Bully leadership sample. The node acts as leader when it says it leads
/// itself (<c>is_leader</c>, <c>leader_id</c> its own id) with lease left (<c>lease_remaining_seconds</c>):
/// the election's own check, true only while its role is leader and its monotonic clock is before its lease end.
/// The node made that check at one instant between <paramref name="From"/> and <paramref name="To"/>, on one
/// time line for all nodes: either the nodes' own clocks (<see cref="Of"/>: <c>timestamp</c>, one instant, since
/// every host of a test bed runs on one kernel clock), or the observer's monotonic clock (<see cref="Observed"/>:
/// when the request left and when the answer came back, for nodes whose clocks are made to step or drift).
/// </summary>
/// <param name="Node">The node id.</param>
/// <param name="From">The earliest instant the node can have made its check.</param>
/// <param name="To">The latest instant the node can have made its check.</param>
/// <param name="Acting">Whether it acted as leader.</param>
/// <param name="Epoch">The epoch it leads (or knows a leader at).</param>
/// <param name="LeaseEndEarliest">When acting: the earliest instant its lease can end, as the sample reports it.</param>
/// <param name="LeaseEndLatest">When acting: the latest instant its lease can end as the sample reports it; it stops
/// acting then at the latest unless a renewal extends it.</param>
public sealed record ActingLeaderSample(string Node, double From, double To, bool Acting, long Epoch, double? LeaseEndEarliest, double? LeaseEndLatest)
{
    /// <summary>A sample at one instant <paramref name="at"/>, its lease ending at <paramref name="leaseEnd"/> (when acting).</summary>
    public ActingLeaderSample(string node, double at, bool acting, long epoch, double? leaseEnd)
        : this(node, at, at, acting, epoch, leaseEnd, leaseEnd)
    {
    }

    /// <summary>
    /// Reads a <c>/status</c> answer on the nodes' own clock: the instant is its <c>timestamp</c> (never after
    /// the lease end for an acting sample: the check ran just before the timestamp was read), the lease end
    /// <c>timestamp + lease_remaining_seconds</c>.
    /// </summary>
    public static ActingLeaderSample Of(JsonNode status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var (node, acting, epoch, remaining) = Read(status);
        var at = status["timestamp"]!.GetValue<double>();
        var end = acting ? at + remaining : null;
        return new ActingLeaderSample(node, acting ? Math.Min(at, end!.Value) : at, acting, epoch, end);
    }

    /// <summary>
    /// Reads a <c>/status</c> answer on the observer's monotonic clock: the request left at
    /// <paramref name="sentAt"/> and its answer arrived at <paramref name="receivedAt"/>, so the node's check
    /// and its reading of the lease fell between them. <c>lease_remaining_seconds</c> counts on the node's
    /// monotonic clock, which runs at some rate within <paramref name="timing"/>'s bounds for that node; its
    /// value is capped at the lease duration, the most a leader ever holds (a reading torn by a wall-clock step
    /// between the two clock reads <c>/status</c> makes can show an hour more). The bounds are widened by the
    /// half millisecond <c>/status</c> rounds to.
    /// </summary>
    public static ActingLeaderSample Observed(JsonNode status, double sentAt, double receivedAt, ObserverTiming timing)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(timing);
        var (node, acting, epoch, remaining) = Read(status);
        if (!acting) return new ActingLeaderSample(node, sentAt, receivedAt, false, epoch, null, null);
        var (slowest, fastest) = timing.RatesOf(node);
        var capped = Math.Min(remaining!.Value, timing.LeaseDuration.TotalSeconds);
        double early = capped / fastest, late = capped / slowest; // real seconds left, whatever the rate within the bounds
        const double rounding = 0.0005;
        return new ActingLeaderSample(node, sentAt, receivedAt, true, epoch,
            sentAt + Math.Min(early, late) - rounding, receivedAt + Math.Max(early, late) + rounding);
    }

    private static (string Node, bool Acting, long Epoch, double? Remaining) Read(JsonNode status)
    {
        var node = status["node_id"]!.GetValue<string>();
        var remaining = status["lease_remaining_seconds"]?.GetValue<double>();
        var acting = status["is_leader"]?.GetValue<bool>() == true && status["leader_id"]?.GetValue<string>() == node && remaining is not null;
        return (node, acting, status["epoch"]?.GetValue<long>() ?? 0, remaining);
    }
}
